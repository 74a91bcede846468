// Every login chosen in the editor of the current n8n line (see editorLoginsSuite.ts).
import { editorLoginsSuite } from './editorLoginsSuite';

editorLoginsSuite('2.41.1');
