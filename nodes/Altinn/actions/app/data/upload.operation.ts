/** Data → Upload: data elements stored in an instance's data task; an unlocked element of the type is replaced, else one is added. */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { checkInstanceId } from '../../../protocol/apps';
import { readInstance, storeData } from '../../../protocol/filing';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';
import { DATA_ELEMENTS_PROPERTY, dataOf } from '../dataElements';
import { INSTANCE_ID_PROPERTY } from '../instance/get.operation';

export const uploadData: NodeOperation = {
	option: { name: 'Upload', value: 'uploadData', description: 'Store form data or a file in an instance (an element of the type is replaced)', action: 'Upload data to an instance' },
	subtitle: 'Upload data',
	properties: [...APP_PROPERTIES, INSTANCE_ID_PROPERTY, DATA_ELEMENTS_PROPERTY, optionsCollection(APP_OPTIONS)],
	execute: eachAppItem(1, async (item) => {
		const instanceId = checkInstanceId(item.text('instanceId'));
		item.identify({ instanceId });
		const data = await dataOf(item);
		const steps: string[] = [];
		const stored = await storeData(item.session, await readInstance(item.session, instanceId), data, steps);
		return { json: { ...instanceItem(stored), steps }, output: 0 };
	}),
};
