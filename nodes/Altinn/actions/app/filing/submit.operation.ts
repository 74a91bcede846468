/**
 * Filing → Submit: files once per Submission Key. The instance with the key is found (or created with the
 * key in its data values), the data stored in the data task, validated, and the process moved on (confirm,
 * sign) until it ends, reaches the app owner's feedback step, or the task named to stop at. A run after any
 * interruption continues the same instance from the step it reached; data with errors stop the item with
 * the app's issues, nothing moved on.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../../shared/descriptions';
import type { NodeOperation } from '../../../../shared/nodeOperations';
import type { RoutedItem } from '../../../../shared/runItems';
import { tokenStore } from '../../../../shared/tokenStore';
import { checkSubmissionKey } from '../../../protocol/apps';
import { fileOnce } from '../../../protocol/filing';
import type { AppItem } from '../appItem';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';
import { DATA_ELEMENTS_PROPERTY, dataOf } from '../dataElements';

export const SUBMISSION_KEY_PROPERTY: INodeProperties = {
	displayName: 'Submission Key',
	name: 'submissionKey',
	type: 'string',
	default: '',
	required: true,
	placeholder: "e.g. {{ $json.orgNumber }}-{{ $now.toFormat('yyyy-MM') }}",
	description:
		"What makes this filing one: a run that finds an instance with the same key continues it instead of filing again, so a rerun, a retry or two executions at once file once. Kept on the instance (the app owner sees it), so never a national ID number.",
};

/** Filed (or as far as it may go): the first output; data the app finds wrong: the second, with its issues. */
async function submit(item: AppItem): Promise<RoutedItem> {
	const submissionKey = checkSubmissionKey(item.text('submissionKey'));
	item.identify({ orgNumber: item.orgNumber, submissionKey });
	const data = await dataOf(item);
	const stopAtTask = item.text('options.stopAtTask') || undefined;
	// Items (and executions in this process) with the same key file one after the other: the second finds the first's instance.
	const result = await tokenStore().serially(`altinn-app:${item.app.platformUrl}:${item.app.appId}:${item.orgNumber}:${submissionKey}`, async () =>
		await fileOnce(item.session, { orgNumber: item.orgNumber, submissionKey, data, stopAtTask }),
	);
	const json: IDataObject = { ...instanceItem(result.instance), submissionKey, newInstance: result.newInstance, outcome: result.outcome, steps: result.steps };
	if (result.outcome !== 'invalid') return { json, output: 0 };
	const errors = result.issues.filter((issue) => issue.severity === 'error');
	return {
		json: {
			...json,
			message: `The app found ${errors.length} error${errors.length === 1 ? '' : 's'} in the filing, so it was not submitted. Correct the data and run again: the filing continues with the same instance.`,
			issues: result.issues.map((issue) => ({ ...issue })),
		},
		output: 1,
	};
}

export const submitFiling: NodeOperation = {
	option: {
		name: 'Submit',
		value: 'submit',
		description:
			'File once per Submission Key: create or continue the instance, store the data, validate, and move the process on to the end. Data the app finds wrong go to the Invalid Data output with its issues.',
		action: 'Submit a filing',
	},
	subtitle: 'Submit',
	properties: [
		...APP_PROPERTIES,
		SUBMISSION_KEY_PROPERTY,
		DATA_ELEMENTS_PROPERTY,
		optionsCollection([
			...APP_OPTIONS,
			{
				displayName: 'Stop at Task',
				name: 'stopAtTask',
				type: 'string',
				default: '',
				placeholder: 'e.g. Task_2',
				description: "Stop when the process reaches this task (its ID in the app's process), e.g. to let a person sign in Altinn. Empty: go on to the end, or to the app owner's feedback step.",
			},
		]),
	],
	execute: eachAppItem(2, submit),
};
