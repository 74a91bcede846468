/** The data elements an item gives a filing or an upload: JSON or XML from the item, or a file from its binary data. */
import type { INodeProperties } from 'n8n-workflow';

import { LoginProblem } from '../../../shared/protocol/loginProblem';
import type { DataToStore } from '../../protocol/apps';
import type { AppItem } from './appItem';

export const DATA_ELEMENTS_PROPERTY: INodeProperties = {
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
export async function dataOf(item: AppItem): Promise<DataToStore[]> {
	const entries = ((item.node.getNodeParameter('dataElements.entries', item.itemIndex, []) as DataEntry[]) ?? []).filter((entry) => String(entry.dataType ?? '').trim());
	const data: DataToStore[] = [];
	const types = entries.map((entry) => String(entry.dataType).trim());
	const twice = types.find((type, index) => types.indexOf(type) !== index);
	if (twice) {
		// Each entry replaces the element of its type: a second one would overwrite the first.
		throw new LoginProblem({ kind: 'badInput', message: `The data type ${twice} is given twice`, hint: 'Give each data type once: one element per type is stored (and replaced on a later run).' });
	}
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

