/**
 * Instance → Create: the instance for a Submission Key, made once: a run that finds one with the key gets it
 * (newInstance false) instead of a second. Submit goes on from here; this stops at the empty draft.
 */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { tokenStore } from '../../../../shared/tokenStore';
import { checkSubmissionKey } from '../../../protocol/apps';
import { findOrCreateInstance } from '../../../protocol/filing';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';
import { SUBMISSION_KEY_PROPERTY } from '../filing/submit.operation';

export const createInstance: NodeOperation = {
	option: { name: 'Create', value: 'createInstance', description: 'The instance for a Submission Key: made once, found after that', action: 'Create an instance' },
	subtitle: 'Create instance',
	properties: [...APP_PROPERTIES, SUBMISSION_KEY_PROPERTY, optionsCollection(APP_OPTIONS)],
	execute: eachAppItem(1, async (item) => {
		const submissionKey = checkSubmissionKey(item.text('submissionKey'));
		item.identify({ submissionKey });
		const steps: string[] = [];
		const made = await tokenStore().serially(`altinn-app:${item.app.platformUrl}:${item.app.appId}:${item.orgNumber}:${submissionKey}`, async () =>
			await findOrCreateInstance(item.session, { orgNumber: item.orgNumber, submissionKey, data: [] }, steps),
		);
		return { json: { ...instanceItem(made.instance), newInstance: made.newInstance, steps }, output: 0 };
	}),
};
