/**
 * Runs nodes through n8n's execution code (see n8nRunner) and keeps everything they produce,
 * outputs and errors alike, so that a test file can search all of it for secrets at the end.
 */
import type { INodeExecutionData, INodeType } from 'n8n-workflow';

import type { ExecuteResult, RunOptions } from './n8nRunner';
import { executeNode } from './n8nRunner';

export type NodeFailure = Error & { description?: string; httpCode?: string };

export class RecordingRunner {
	readonly produced: unknown[] = [];

	/** `defaults` gives options every run starts from, such as the credential pointing at a fake. */
	constructor(private readonly defaults: () => RunOptions = () => ({})) {}

	/** The options every run starts from. */
	options(): RunOptions {
		return this.defaults();
	}

	async run(node: INodeType, options: RunOptions = {}): Promise<ExecuteResult> {
		try {
			const result = await executeNode(node, { ...this.defaults(), ...options });
			this.produced.push(result.output);
			return result;
		} catch (error) {
			this.produced.push(error);
			throw error;
		}
	}

	/** The items of the node's first output. */
	async items(node: INodeType, options: RunOptions = {}): Promise<INodeExecutionData[]> {
		return (await this.run(node, options)).output?.[0] ?? [];
	}

	/** The error the node throws; fails the test if it succeeds. */
	async failure(node: INodeType, options: RunOptions = {}): Promise<NodeFailure> {
		try {
			await this.run(node, options);
		} catch (error) {
			return error as NodeFailure;
		}
		throw new Error('expected the node to fail');
	}
}
