/**
 * A polling trigger's memory, in the workflow's static data: what it watches (the service, the
 * credential's client, the trigger's choices) and what it has seen there. Read only when it belongs to
 * what is watched now: otherwise the trigger takes a new baseline (fires nothing for what is already
 * there), so switching from a test to a production Altinn never floods the workflow. Written only when
 * it changed, since n8n saves the workflow whenever its static data is touched. Never a token.
 */
import type { IDataObject } from 'n8n-workflow';

/** The stored fields, when they are for `watching` and `read` accepts them; undefined means: take a baseline. */
export function readPollState<T>(staticData: IDataObject, watching: string, read: (stored: IDataObject) => T | undefined): T | undefined {
	if (staticData.watching !== watching) return undefined;
	return read(staticData);
}

export function writePollState(staticData: IDataObject, watching: string, fields: IDataObject): void {
	const unchanged = staticData.watching === watching && Object.entries(fields).every(([name, value]) => JSON.stringify(staticData[name]) === JSON.stringify(value));
	if (unchanged) return;
	staticData.watching = watching;
	Object.assign(staticData, fields);
}
