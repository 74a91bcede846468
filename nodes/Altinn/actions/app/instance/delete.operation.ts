/** Instance → Delete: a draft the workflow no longer wants (Altinn keeps a submitted instance as the app allows). */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { buildDeleteInstanceRequest, checkInstanceId, readDeleteAnswer } from '../../../protocol/apps';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem } from '../appItem';
import { INSTANCE_ID_PROPERTY } from './get.operation';

export const deleteInstance: NodeOperation = {
	option: { name: 'Delete', value: 'deleteInstance', description: 'Delete a draft instance, e.g. one begun by mistake', action: 'Delete an instance' },
	subtitle: 'Delete instance',
	properties: [
		...APP_PROPERTIES,
		INSTANCE_ID_PROPERTY,
		{
			displayName: 'Delete for Good',
			name: 'hardDelete',
			type: 'boolean',
			default: false,
			description: 'Whether the instance is deleted for good (hard), or only moved to the deleted items, where a person can restore it (soft)',
		},
		optionsCollection(APP_OPTIONS),
	],
	execute: eachAppItem(1, async (item) => {
		const instanceId = checkInstanceId(item.text('instanceId'));
		item.identify({ instanceId });
		const hard = item.node.getNodeParameter('hardDelete', item.itemIndex, false) === true;
		readDeleteAnswer(await item.session.send((token) => buildDeleteInstanceRequest(item.app, token, instanceId, hard)));
		return { json: { instanceId, deleted: true, hardDeleted: hard }, output: 0 };
	}),
};
