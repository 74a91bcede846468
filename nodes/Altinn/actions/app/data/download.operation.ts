/** Data → Download: a data element as a file, e.g. the PDF receipt (ref-data-as-pdf) or the app owner's feedback. */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { LoginProblem } from '../../../../shared/protocol/loginProblem';
import { APP_CALLS, buildDownloadDataRequest, buildGetInstanceRequest, checkInstanceId, readDownloadAnswer, readInstanceAnswer } from '../../../protocol/apps';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem } from '../appItem';
import { INSTANCE_ID_PROPERTY } from '../instance/get.operation';

export const downloadData: NodeOperation = {
	option: { name: 'Download', value: 'downloadData', description: 'A data element as a file: the receipt, the feedback, or any data type', action: 'Download a data element' },
	subtitle: 'Download data',
	properties: [
		...APP_PROPERTIES,
		INSTANCE_ID_PROPERTY,
		{
			displayName: 'Data Type',
			name: 'dataType',
			type: 'string',
			default: 'ref-data-as-pdf',
			description: 'Which element: the newest of this data type (ref-data-as-pdf is the receipt Altinn makes when the data task ends)',
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'The binary field the file goes to',
		},
		optionsCollection(APP_OPTIONS),
	],
	execute: eachAppItem(1, async (item) => {
		const instanceId = checkInstanceId(item.text('instanceId'));
		const dataType = item.text('dataType') || 'ref-data-as-pdf';
		item.identify({ instanceId, dataType });
		const instance = readInstanceAnswer(await item.session.send((token) => buildGetInstanceRequest(item.app, token, instanceId)), APP_CALLS.get);
		const element = instance.data.filter((candidate) => candidate.dataType === dataType).sort((a, b) => (b.created ?? '').localeCompare(a.created ?? ''))[0];
		if (!element) {
			throw new LoginProblem({
				kind: 'rejected',
				message: `The instance has no data element of type ${dataType}`,
				hint: `Its data types: ${[...new Set(instance.data.map((candidate) => candidate.dataType))].join(', ') || 'none'}. A receipt exists once the data task has ended.`,
			});
		}
		const file = readDownloadAnswer(await item.session.send((token) => buildDownloadDataRequest(item.app, token, instanceId, element.id)));
		const field = item.text('binaryPropertyName') || 'data';
		const binary = await item.node.helpers.prepareBinaryData(file.bytes, file.fileName ?? element.filename ?? `${dataType}`, file.mimeType);
		return { json: { instanceId, dataElementId: element.id, dataType, size: file.bytes.length }, binary: { [field]: binary }, output: 0 };
	}),
};
