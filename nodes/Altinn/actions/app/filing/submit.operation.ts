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
import { LoginProblem } from '../../../../shared/protocol/loginProblem';
import type { RoutedItem } from '../../../../shared/runItems';
import { tokenStore } from '../../../../shared/tokenStore';
import type { DataToStore } from '../../../protocol/apps';
import { checkSubmissionKey } from '../../../protocol/apps';
import { fileOnce } from '../../../protocol/filing';
import type { AppItem } from '../appItem';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';

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

const FORMATS: Record<string, { contentType: string; extension: string }> = {
	json: { contentType: 'application/json', extension: 'json' },
	xml: { contentType: 'application/xml', extension: 'xml' },
};

interface DataEntry {
	dataType?: string;
	format?: string;
	content?: unknown;
	binaryPropertyName?: string;
}

/** The item's data elements, as the Data list gives them: JSON or XML from the item, or a file from its binary data. */
async function dataOf(item: AppItem): Promise<DataToStore[]> {
	const entries = ((item.node.getNodeParameter('dataElements.entries', item.itemIndex, []) as DataEntry[]) ?? []).filter((entry) => String(entry.dataType ?? '').trim());
	const data: DataToStore[] = [];
	for (const entry of entries) {
		const dataType = String(entry.dataType).trim();
		if (entry.format === 'binary') {
			const property = String(entry.binaryPropertyName ?? 'data').trim() || 'data';
			const binary = item.node.helpers.assertBinaryData(item.itemIndex, property);
			const bytes = await item.node.helpers.getBinaryDataBuffer(item.itemIndex, property);
			data.push({ dataType, contentType: binary.mimeType, filename: binary.fileName ?? `${dataType}`, body: bytes });
			continue;
		}
		const format = FORMATS[entry.format ?? 'json'] ?? FORMATS.json;
		const content = typeof entry.content === 'string' ? entry.content : JSON.stringify(entry.content ?? null);
		if (!content.trim()) {
			throw new LoginProblem({ kind: 'badInput', message: `The data for ${dataType} is empty`, hint: 'Give the form data, e.g. {{ JSON.stringify($json.report) }}, or remove the entry.' });
		}
		data.push({ dataType, contentType: format.contentType, filename: `${dataType}.${format.extension}`, body: content });
	}
	return data;
}

/** Filed (or as far as it may go): the first output; data the app finds wrong: the second, with its issues. */
async function submit(item: AppItem): Promise<RoutedItem> {
	const submissionKey = checkSubmissionKey(item.text('submissionKey'));
	item.identify({ orgNumber: item.orgNumber, submissionKey });
	const data = await dataOf(item);
	const stopAtTask = item.text('options.stopAtTask') || undefined;
	// Items (and executions in this process) with the same key file one after the other: the second finds the first's instance.
	const result = await tokenStore().serially(`altinn-app:${item.session.app.appUrl}:${item.orgNumber}:${submissionKey}`, async () =>
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
		{
			displayName: 'Data',
			name: 'dataElements',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Data Element',
			default: {},
			description: "What to store in the app's data task, one entry per data type; an element of the type already there is replaced",
			options: [
				{
					displayName: 'Data Element',
					name: 'entries',
					values: [
						{
							displayName: 'Data Type',
							name: 'dataType',
							type: 'string',
							default: 'model',
							description: "The data type's ID in the app's application metadata (the form's data model is often called model)",
						},
						{
							displayName: 'Format',
							name: 'format',
							type: 'options',
							options: [
								{ name: 'JSON', value: 'json' },
								{ name: 'XML', value: 'xml' },
								{ name: 'File (Binary Data)', value: 'binary' },
							],
							default: 'json',
						},
						{
							displayName: 'Content',
							name: 'content',
							type: 'string',
							typeOptions: { rows: 4 },
							default: '={{ JSON.stringify($json.data) }}',
							description: 'The form data as JSON or XML text (ignored for a file)',
						},
						{
							displayName: 'Input Binary Field',
							name: 'binaryPropertyName',
							type: 'string',
							default: 'data',
							description: "The item's binary field holding the file (for Format: File)",
						},
					],
				},
			],
		},
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
