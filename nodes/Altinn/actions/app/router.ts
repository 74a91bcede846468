/**
 * The Altinn App node's resources and their operations, one file each under the resource it acts on
 * (`<resource>/<op>.operation.ts`). A new operation is its file and a line here.
 */
import { NodeOperations } from '../../../shared/nodeOperations';
import { downloadData } from './data/download.operation';
import { uploadData } from './data/upload.operation';
import { findByKey } from './filing/findByKey.operation';
import { submitFiling } from './filing/submit.operation';
import { createInstance } from './instance/create.operation';
import { deleteInstance } from './instance/delete.operation';
import { getInstance } from './instance/get.operation';
import { nextStep } from './process/next.operation';
import { validateInstance } from './process/validate.operation';

export const APP_OPERATIONS = new NodeOperations([
	{ option: { name: 'Filing', value: 'filing', description: 'A filing from instance to receipt, once per Submission Key' }, operations: [submitFiling, findByKey] },
	{ option: { name: 'Instance', value: 'instance', description: 'An instance of the app (a form being filled in or filed)' }, operations: [createInstance, getInstance, deleteInstance] },
	{ option: { name: 'Data', value: 'data', description: "An instance's data elements (form data, attachments, the receipt)" }, operations: [uploadData, downloadData] },
	{ option: { name: 'Process', value: 'process', description: "The instance's steps: validate, and move on" }, operations: [validateInstance, nextStep] },
]);
