/** Instance → Get: an instance as the app has it (its process step, data elements, whether it ended). */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { APP_CALLS, buildGetInstanceRequest, checkInstanceId, readInstanceAnswer } from '../../../protocol/apps';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';

export const INSTANCE_ID_PROPERTY = {
	displayName: 'Instance ID',
	name: 'instanceId',
	type: 'string' as const,
	default: '={{ $json.instanceId }}',
	required: true,
	description: "The instance's ID as Altinn gives it ({partyId}/{guid}), e.g. from Submit",
};

export const getInstance: NodeOperation = {
	option: { name: 'Get', value: 'getInstance', description: "An instance's process step, data elements and whether it ended", action: 'Get an instance' },
	subtitle: 'Get instance',
	properties: [...APP_PROPERTIES, INSTANCE_ID_PROPERTY, optionsCollection(APP_OPTIONS)],
	execute: eachAppItem(1, async (item) => {
		const instanceId = checkInstanceId(item.text('instanceId'));
		item.identify({ instanceId });
		const instance = readInstanceAnswer(await item.session.send((token) => buildGetInstanceRequest(item.app, token, instanceId)), APP_CALLS.get);
		return { json: instanceItem(instance), output: 0 };
	}),
};
