/** Filing → Find by Key: the instance this workflow filed (or began) for a Submission Key, or none. */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { checkSubmissionKey } from '../../../protocol/apps';
import { instancesWithKey } from '../../../protocol/filing';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';
import { SUBMISSION_KEY_PROPERTY } from './submit.operation';

export const findByKey: NodeOperation = {
	option: {
		name: 'Find by Key',
		value: 'findByKey',
		description: 'The instance filed (or begun) for a Submission Key: found is false when there is none',
		action: 'Find the instance of a submission key',
	},
	subtitle: 'Find by key',
	properties: [...APP_PROPERTIES, SUBMISSION_KEY_PROPERTY, optionsCollection(APP_OPTIONS)],
	execute: eachAppItem(1, async (item) => {
		const submissionKey = checkSubmissionKey(item.text('submissionKey'));
		item.identify({ submissionKey });
		const [oldest] = await instancesWithKey(item.session, item.orgNumber, submissionKey);
		return { json: oldest ? { found: true, ...instanceItem(oldest) } : { found: false, orgNumber: item.orgNumber, submissionKey }, output: 0 };
	}),
};
