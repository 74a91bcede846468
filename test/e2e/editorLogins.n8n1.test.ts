// Every login chosen in the editor of the 1.x line (see editorLoginsSuite.ts).
import { editorLoginsSuite } from './editorLoginsSuite';

editorLoginsSuite('1.123.81');
