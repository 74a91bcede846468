/** Stands in for an e-mail or chat service: records what a workflow sends a person. */
import type { RecordedRequest, Reply } from './fakeServer';
import { FakeServer, json } from './fakeServer';

export class FakeInbox extends FakeServer {
	protected handle(_request: RecordedRequest): Reply {
		return json(200, { delivered: true });
	}

	/** The JSON bodies received so far. */
	messages(): Array<Record<string, unknown>> {
		return this.requests.map((request) => JSON.parse(request.body || '{}') as Record<string, unknown>);
	}
}
