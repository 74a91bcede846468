/**
 * Starts a workflow when a filing this package made in an Altinn 3 app ends, or reaches the app owner's
 * feedback step: each poll lists the watched organisations' instances of the app that carry a Submission Key
 * (those the Altinn App node filed) and fires once for each that moved to one of those states since the last
 * poll. The state is read from Altinn with each organisation's system user.
 *
 * State (the workflow's static data for this node): `{ watching, states: { <instance id>: <state> } }`, the
 * state being `ended` or the current task's ID; never a token. The first poll for what is watched (after
 * publishing, or a change of app, organisations or Altinn) only notes what is there.
 */
import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { optionsCollection } from '../shared/descriptions';
import { pollScrubbed } from '../shared/nodeErrors';
import { readPollState, writePollState } from '../shared/pollState';
import { timeoutMsOf } from '../shared/runItems';
import type { SecretCollector } from '../shared/secrets';
import { DEFAULT_TIMEOUT_MS } from '../shared/transport';
import { APP_OPTIONS, APP_PROPERTIES, filingSession, instanceItem } from './actions/app/appItem';
import type { AltinnMaskinportenCredential } from './logins/maskinporten';
import { altinn3Endpoints } from './logins/maskinporten';
import type { AppInstance } from './protocol/apps';
import { altinnApp } from './protocol/apps';
import { filedInstances } from './protocol/filing';
import { checkOrganisationNumber } from './protocol/orgNumber';

type AppEvent = 'completed' | 'reachedFeedback';

/** What an instance's state is for the trigger: ended, or the task it is in. */
const stateOf = (instance: AppInstance) => (instance.ended ? 'ended' : (instance.currentTask?.elementId ?? 'none'));

/** The event an instance's move to its present state is, if it is one the trigger reports. */
function eventOf(instance: AppInstance): AppEvent | undefined {
	if (instance.ended) return 'completed';
	if (instance.currentTask?.altinnTaskType === 'feedback') return 'reachedFeedback';
	return undefined;
}

const newestFirst = (a: AppInstance, b: AppInstance) => (b.lastChanged ?? '').localeCompare(a.lastChanged ?? '');

export class AltinnAppTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn App Trigger',
		name: 'altinnAppTrigger',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Filings to " + $parameter["appOwner"] + "/" + $parameter["appName"] }}',
		description: "Starts a workflow when a filing made by the Altinn App node is complete, or reaches the app owner's feedback step (read from Altinn)",
		defaults: { name: 'Altinn App Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altinnMaskinportenApi', required: true }],
		properties: [
			{
				displayName:
					"Fires once for each filing of the Altinn App node (an instance with a Submission Key) that ends or reaches the app owner's feedback step, read from Altinn with each organisation's system user, once the workflow is published (active). The first check after publishing only notes what is there. Fetching a test event shows the newest such filing.",
				name: 'triggerNotice',
				type: 'notice',
				default: '',
			},
			APP_PROPERTIES[0],
			APP_PROPERTIES[1],
			{
				displayName: 'Organisation Numbers',
				name: 'orgNumbers',
				type: 'string',
				default: '',
				required: true,
				placeholder: '310547891, 313367002',
				description: 'The organisations whose filings to watch (customers, and your own), separated by commas',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Filing Completed', value: 'completed', description: 'The process ended (the receipt is there)' },
					{ name: "Reached the App Owner's Step", value: 'reachedFeedback', description: 'The app owner is to answer (a feedback step)' },
				],
				default: ['completed', 'reachedFeedback'],
			},
			optionsCollection(APP_OPTIONS),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollScrubbed(this, async (secrets) => await pollFilings(this, secrets));
	}
}

async function pollFilings(context: IPollFunctions, secrets: SecretCollector): Promise<INodeExecutionData[][] | null> {
	const text = (name: string) => String(context.getNodeParameter(name, '') ?? '').trim();
	const events = context.getNodeParameter('events', ['completed', 'reachedFeedback']) as AppEvent[];
	const orgNumbers = [...new Set(text('orgNumbers').split(',').map((value) => value.trim()).filter(Boolean))].map((value) =>
		checkOrganisationNumber(value, 'organisation number to watch'),
	);
	if (orgNumbers.length === 0) {
		throw new NodeOperationError(context.getNode(), 'No organisation to watch', { description: 'Give the organisation numbers whose filings to watch, separated by commas.' });
	}
	const credential = (await context.getCredentials('altinnMaskinportenApi')) as unknown as AltinnMaskinportenCredential;
	const { platformUrl } = altinn3Endpoints(credential);
	const app = altinnApp(text('appOwner'), text('appName'), credential.environment, platformUrl, text('options.appBaseUrl') || undefined);
	const timeoutMs = timeoutMsOf(context.getNodeParameter('options.timeout', DEFAULT_TIMEOUT_MS));
	const instances: AppInstance[] = [];
	for (const orgNumber of orgNumbers) {
		const session = filingSession(context, { credential, app, orgNumber, externalRef: text('options.externalRef'), secrets, timeoutMs });
		instances.push(...(await filedInstances(session, orgNumber)));
	}
	const item = (instance: AppInstance, event: AppEvent | undefined): INodeExecutionData => ({ json: { ...instanceItem(instance), event: event ?? null } as IDataObject });

	if (context.getMode() === 'manual') {
		const newest = [...instances].sort(newestFirst)[0];
		if (newest) return [[item(newest, eventOf(newest))]];
		throw new NodeOperationError(context.getNode(), `No filing to ${app.appId} by the Altinn App node for these organisations yet`, {
			description: 'File with the Altinn App node (Submit) first; then publish this workflow.',
		});
	}

	const staticData = context.getWorkflowStaticData('node');
	// Another app, other organisations or another Altinn: what is there now is a new baseline, not news.
	const watching = `${platformUrl}|${credential.clientId.trim()}|${app.appUrl}|${orgNumbers.join(',')}`;
	const previous = readPollState(staticData, watching, ({ states }) =>
		typeof states === 'object' && states !== null && !Array.isArray(states) ? (states as Record<string, string>) : undefined,
	);
	writePollState(staticData, watching, { states: Object.fromEntries(instances.map((instance) => [instance.instanceId, stateOf(instance)])) });
	if (!previous) return null;
	const news = instances.filter((instance) => {
		const event = eventOf(instance);
		return event !== undefined && events.includes(event) && previous[instance.instanceId] !== stateOf(instance);
	});
	return news.length === 0 ? null : [news.map((instance) => item(instance, eventOf(instance)))];
}
