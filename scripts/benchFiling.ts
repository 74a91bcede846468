/**
 * `npm run bench`, filings: 50 customers filed to the fake Altinn app by the Altinn App node (Submit), and the
 * same filings by the same protocol code sending with a bare `fetch` (its own system-user login per customer,
 * no n8n, no token store, no redaction). Counts logins (one per customer per token lifetime) and requests per
 * filing; times each side over whole rounds, interleaved. Timings vary by machine; no test asserts them.
 */
import { AltinnApp } from '../nodes/Altinn/AltinnApp.node';
import { altinnSystemUserLogin } from '../nodes/Altinn/logins/systemUser';
import { altinnApp } from '../nodes/Altinn/protocol/apps';
import { organisationNumberCheckDigit } from '../nodes/Altinn/protocol/orgNumber';
import type { FilingSession } from '../nodes/Altinn/protocol/filing';
import { fileOnce } from '../nodes/Altinn/protocol/filing';
import type { HttpAnswer, HttpRequestSpec } from '../nodes/shared/protocol/http';
import { SecretCollector } from '../nodes/shared/secrets';
import { SYSTEM_CLOCK, TokenStore, replaceTokenStore } from '../nodes/shared/tokenStore';
import { altinnMaskinportenCredentialData, makeKeyClient } from '../test/fakes/fakeAltinn3';
import { FakeAltinnApps } from '../test/fakes/fakeAltinnApp';
import { VENDOR_ORG_NO } from '../test/fakes/fakeAltinnSystemUser';
import { executeNode } from '../test/helpers/n8nRunner';

const CUSTOMERS = 50;
const ROUNDS = 5;
const APP_ID = 'ttd/monthly-report';
const SYSTEM_ID = `${VENDOR_ORG_NO}_bench`;
const SCOPES = 'altinn:instances.read altinn:instances.write';

/** Valid organisation numbers (modulus 11). */
function organisationNumbers(count: number): string[] {
	const numbers: string[] = [];
	for (let base = 31_000_000; numbers.length < count; base++) {
		const check = organisationNumberCheckDigit(String(base));
		if (check !== null) numbers.push(`${base}${check}`);
	}
	return numbers;
}

async function fetchSend(request: HttpRequestSpec): Promise<HttpAnswer> {
	const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.bodyBytes ? new Uint8Array(request.bodyBytes) : request.body, redirect: 'manual' });
	const bytes = Buffer.from(await response.arrayBuffer());
	return { statusCode: response.status, statusMessage: response.statusText, headers: Object.fromEntries(response.headers.entries()), body: bytes.toString('utf8'), bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function filingBench(): Promise<{ logins: number; requestsPerFiling: number; nodeMsPerFiling: number; fetchMsPerFiling: number; ratio: number }> {
	const fake = await new FakeAltinnApps().start();
	const vendor = makeKeyClient();
	const customers = organisationNumbers(CUSTOMERS);
	fake.registerVendorClient(vendor.clientId, vendor.keyId, vendor.publicKey, SCOPES);
	fake.addSystem({ id: SYSTEM_ID, clientId: [vendor.clientId], rights: [] });
	for (const [index, orgNumber] of customers.entries()) {
		const id = `0c1a5b8e-1f7e-4d3a-9a57-${String(index).padStart(12, '0')}`;
		fake.systemUsers.set(id, { id, systemId: SYSTEM_ID, reporteeOrgNo: orgNumber, supplierOrgNo: VENDOR_ORG_NO, externalRef: orgNumber, integrationTitle: 'Bench', rights: [], accessPackages: [], agent: false, created: '2026-12-01T00:00:00Z' });
		fake.addParty(orgNumber);
	}
	fake.addApp({
		appId: APP_ID,
		dataTypes: [{ id: 'model', allowedContentTypes: ['application/json'], maxCount: 1, minCount: 1, taskId: 'Task_1' }],
		process: [
			{ id: 'Task_1', type: 'data' },
			{ id: 'Task_2', type: 'confirmation' },
		],
	});
	const credential = altinnMaskinportenCredentialData(vendor, fake.baseUrl, SCOPES);
	const node = new AltinnApp();
	const data = (orgNumber: string) => [{ dataType: 'model', contentType: 'application/json', filename: 'model.json', body: JSON.stringify({ orgNumber, turnover: 1 }) }];
	const app = altinnApp('ttd', 'monthly-report', 'custom', fake.baseUrl);
	try {
		const nodeRound = async (round: string) => {
			await executeNode(node, {
				credentials: { altinnMaskinportenApi: credential },
				parameters: {
					resource: 'filing',
					operation: 'submit',
					appOwner: 'ttd',
					appName: 'monthly-report',
					customerOrgNumber: '={{ $json.orgNumber }}',
					submissionKey: `={{ $json.orgNumber }}-node-${round}`,
					dataElements: { entries: [{ dataType: 'model', format: 'json', content: '={{ JSON.stringify({ orgNumber: $json.orgNumber, turnover: 1 }) }}' }] },
				},
				input: customers.map((orgNumber) => ({ json: { orgNumber } })),
			});
		};
		// The same protocol code with a bare fetch: one login per customer per round, as the node's first round.
		const fetchRound = async (round: string) => {
			for (const orgNumber of customers) {
				const secrets = new SecretCollector();
				const outcome = await altinnSystemUserLogin.login({ send: fetchSend, now: () => new Date(), secrets }, credential, { orgNumber, externalRef: '' });
				if (!('token' in outcome)) throw new Error('the system-user login asked for a code');
				const token = outcome.token;
				const session: FilingSession = { app, sleep: async () => undefined, send: async (build) => await fetchSend(build(token)) };
				await fileOnce(session, { orgNumber, submissionKey: `${orgNumber}-fetch-${round}`, data: data(orgNumber) });
			}
		};
		// The first node round logs in for every customer; later rounds reuse the tokens, as a schedule does.
		replaceTokenStore(new TokenStore(SYSTEM_CLOCK));
		fake.clearRequests();
		await nodeRound('warm');
		const logins = fake.grants.filter((grant) => grant.claims.authorization_details).length;
		const appRequests = fake.requests.filter((request) => request.path.startsWith(`/${APP_ID}/`) || request.path.startsWith('/storage/')).length;
		await fetchRound('warm');
		const nodeTimes: number[] = [];
		const fetchTimes: number[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			// Alternate which side goes first.
			const sides: Array<[number[], () => Promise<void>]> = [
				[nodeTimes, async () => await nodeRound(String(round))],
				[fetchTimes, async () => await fetchRound(String(round))],
			];
			for (const [times, run] of round % 2 ? sides.reverse() : sides) {
				const start = process.hrtime.bigint();
				await run();
				times.push(Number(process.hrtime.bigint() - start) / 1e6 / CUSTOMERS);
			}
		}
		const nodeMsPerFiling = median(nodeTimes);
		const fetchMsPerFiling = median(fetchTimes);
		return { logins, requestsPerFiling: appRequests / CUSTOMERS, nodeMsPerFiling, fetchMsPerFiling, ratio: nodeMsPerFiling / fetchMsPerFiling };
	} finally {
		await fake.stop();
	}
}
