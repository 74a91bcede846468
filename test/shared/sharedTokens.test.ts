/**
 * Tokens shared between n8n processes through the credential: the sealing itself, and the nodes
 * through n8n's real execution code, each "process" a fresh token store that starts from the
 * credential as the run before it left it saved (n8n's preAuthentication saving, as the harness's
 * credentials helper does it). The real cluster (queue mode, PostgreSQL) is test/e2e/queueMode.test.ts.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import { BoknettTicket } from '../../nodes/Boknett/BoknettTicket.node';
import { OnlyofficeAuth } from '../../nodes/Onlyoffice/OnlyofficeAuth.node';
import { CREDENTIAL_SESSION_FIELDS } from '../../nodes/shared/loginRunner';
import { SHARED_TOKENS_FIELD, isForgotten, openSharedToken, sealSharedToken, withoutSharedToken } from '../../nodes/shared/sharedTokens';
import { TokenStore, replaceTokenStore } from '../../nodes/shared/tokenStore';
import { AltinnApi } from '../../credentials/AltinnApi.credentials';
import { AltinnMaskinportenApi } from '../../credentials/AltinnMaskinportenApi.credentials';
import { BokbasenOAuth2Api } from '../../credentials/BokbasenOAuth2Api.credentials';
import { BoknettApi } from '../../credentials/BoknettApi.credentials';
import { OnlyofficeApi } from '../../credentials/OnlyofficeApi.credentials';
import { BOKNETT_USER, FakeBoknett } from '../fakes/fakeBoknett';
import { FakeOnlyoffice, ONLYOFFICE_SMS_2FA_USER } from '../fakes/fakeOnlyoffice';
import { leakedSecrets } from '../helpers/leaks';
import type { CredentialsByType } from '../helpers/n8nRunner';
import { callWebhook, executeNode } from '../helpers/n8nRunner';
import { FAST_CLOCK } from '../helpers/tokenStore';

const identity = { provider: 'boknett', values: { username: 'a', password: 'secret-1' }, settings: { lifetimeMs: 60_000 } };
const item = { provider: 'boknett', token: 'TGT-1-abc', obtainedAt: '2026-12-03T10:00:00.000Z', expiresAt: '2026-12-03T12:00:00.000Z' };
const NOW = Date.parse('2026-12-03T10:30:00.000Z');

/** A field that must have been written (a test's own, never over the cap). */
const written = (field: string | undefined): string => {
	if (field === undefined) throw new Error('the field was not written');
	return field;
};

describe('sealed tokens in the credential field', () => {
	const field = written(sealSharedToken('', identity, item, Date.parse(item.expiresAt), NOW));

	it('opens for the same login, and shows neither the token nor a value in the field', () => {
		expect(openSharedToken(field, identity, NOW)).toEqual(item);
		expect(field).not.toContain('TGT-1-abc');
		expect(leakedSecrets([field], { password: 'secret-1', token: 'TGT-1-abc' })).toEqual([]);
	});

	it('opens nothing for other values or settings, after its time, or when changed', () => {
		expect(openSharedToken(field, { ...identity, values: { username: 'a', password: 'secret-2' } }, NOW)).toBeUndefined();
		expect(openSharedToken(field, { ...identity, settings: { lifetimeMs: 1 } }, NOW)).toBeUndefined();
		expect(openSharedToken(field, identity, Date.parse(item.expiresAt))).toBeUndefined();
		const parsed = JSON.parse(field) as { tokens: Record<string, { data: string }> };
		const [id] = Object.keys(parsed.tokens);
		const data = Buffer.from(parsed.tokens[id].data, 'base64');
		data[0] ^= 1;
		parsed.tokens[id].data = data.toString('base64');
		expect(openSharedToken(JSON.stringify(parsed), identity, NOW)).toBeUndefined();
		expect(openSharedToken('not json', identity, NOW)).toBeUndefined();
	});

	it('keeps one token per login and drops expired ones; a login that would outgrow the field is not shared, and no valid entry is pushed out for it', () => {
		let many = written(sealSharedToken(field, identity, { ...item, token: 'TGT-2-abc' }, Date.parse(item.expiresAt), NOW));
		expect(Object.keys((JSON.parse(many) as { tokens: object }).tokens)).toHaveLength(1);
		expect(openSharedToken(many, identity, NOW)?.token).toBe('TGT-2-abc');
		// A consent token's entry is about 3.7 kB: the field holds what fits in 64 kB, then takes no more.
		const big = { ...item, token: 'x'.repeat(3_000) };
		let customers = 0;
		for (; customers < 60; customers++) {
			const next = sealSharedToken(many, { ...identity, settings: { customer: customers } }, big, NOW + 60_000 + customers, NOW);
			if (next === undefined) break;
			many = next;
		}
		expect(customers).toBeGreaterThan(10);
		expect(customers).toBeLessThan(60);
		expect(Buffer.byteLength(many)).toBeLessThanOrEqual(64 * 1024);
		// Every entry kept opens: none was pushed out.
		for (let customer = 0; customer < customers; customer++) expect(openSharedToken(many, { ...identity, settings: { customer } }, NOW)?.token).toBe(big.token);
		expect(openSharedToken(many, identity, NOW)?.token).toBe('TGT-2-abc');
		// Once they expire, they go, and there is room again.
		expect(sealSharedToken(many, { ...identity, settings: { customer: 'late' } }, big, NOW + 600_000, NOW + 120_000)).toBeDefined();
	});

	it("opens for nobody who tests a password guess with a fast function: 0.4's key (HKDF under a fixed salt) from the right values opens nothing", () => {
		const parsed = JSON.parse(field) as { v: number; salt: string; tokens: Record<string, { iv: string; data: string }> };
		expect(parsed).toMatchObject({ v: 2, salt: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
		const fixedSalt = Buffer.from('n8n-nodes-login-tokens shared token', 'utf8');
		const fastKey = Buffer.from(hkdfSync('sha256', Buffer.from(JSON.stringify(['boknett', Object.entries(identity.values).sort()])), fixedSalt, 'entry key', 32));
		for (const [id, sealed] of Object.entries(parsed.tokens)) {
			const data = Buffer.from(sealed.data, 'base64');
			const decipher = createDecipheriv('aes-256-gcm', fastKey, Buffer.from(sealed.iv, 'base64'));
			decipher.setAAD(Buffer.from(id));
			decipher.setAuthTag(data.subarray(data.length - 16));
			expect(() => Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()])).toThrow();
		}
		// Two credentials (or two writes of an emptied field) never share a salt.
		expect((JSON.parse(written(sealSharedToken('', identity, item, Date.parse(item.expiresAt), NOW))) as { salt: string }).salt).not.toBe(parsed.salt);
	});

	it("a field 0.4 sealed still opens after the update (no new login, no second SMS), and its entry is sealed anew on the next write", () => {
		const fixedSalt = Buffer.from('n8n-nodes-login-tokens shared token', 'utf8');
		const values = Buffer.from(JSON.stringify(['boknett', Object.entries(identity.values).sort()]));
		const login = Buffer.from(JSON.stringify(['boknett', Object.entries(identity.values).sort(), Object.entries(identity.settings).sort()]));
		const id = Buffer.from(hkdfSync('sha256', login, fixedSalt, 'entry id', 16)).toString('hex');
		const key = Buffer.from(hkdfSync('sha256', values, fixedSalt, 'entry key', 32));
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', key, iv);
		cipher.setAAD(Buffer.from(id));
		const data = Buffer.concat([cipher.update(JSON.stringify(item)), cipher.final(), cipher.getAuthTag()]);
		const legacy = JSON.stringify({ v: 1, tokens: { [id]: { until: Date.parse(item.expiresAt), iv: iv.toString('base64'), data: data.toString('base64') } } });
		expect(openSharedToken(legacy, identity, NOW)).toEqual(item);
		const resealed = written(sealSharedToken(legacy, identity, { ...item, token: 'TGT-3-abc' }, Date.parse(item.expiresAt), NOW));
		expect(Object.keys((JSON.parse(resealed) as { tokens: object }).tokens)).toHaveLength(1);
		expect(openSharedToken(resealed, identity, NOW)?.token).toBe('TGT-3-abc');
	});

	it('forgets a logged-out token whatever settings it was obtained with, and names it forgotten until it would have expired; says when there is nothing to do', () => {
		const credential = { provider: 'boknett', values: identity.values };
		const until = Date.parse(item.expiresAt);
		const forgotten = written(withoutSharedToken(field, credential, 'TGT-1-abc', until, NOW));
		expect(openSharedToken(forgotten, identity, NOW)).toBeUndefined();
		expect(isForgotten(forgotten, credential, 'TGT-1-abc', NOW)).toBe(true);
		expect(isForgotten(forgotten, credential, 'TGT-other', NOW)).toBe(false);
		expect(isForgotten(forgotten, credential, 'TGT-1-abc', until)).toBe(false);
		expect(isForgotten(forgotten, { provider: 'boknett', values: { username: 'a', password: 'secret-2' } }, 'TGT-1-abc', NOW)).toBe(false);
		// The field names no token: only an HMAC under the credential's key.
		expect(leakedSecrets([forgotten], { token: 'TGT-1-abc', password: 'secret-1' })).toEqual([]);
		expect(withoutSharedToken(forgotten, credential, 'TGT-1-abc', until, NOW)).toBeUndefined();
	});
});

it('every credential type that shares tokens declares the shared field and the session field the hand-over empties', () => {
	for (const credential of [new AltinnApi(), new AltinnMaskinportenApi(), new BokbasenOAuth2Api(), new BoknettApi(), new OnlyofficeApi()]) {
		const names = credential.properties.map((property) => property.name);
		expect(names).toContain(SHARED_TOKENS_FIELD);
		expect(names).toContain(CREDENTIAL_SESSION_FIELDS[credential.name]);
		expect(credential.properties.find((property) => property.name === CREDENTIAL_SESSION_FIELDS[credential.name])?.typeOptions?.expirable).toBe(true);
		// Masked: n8n blanks both before a credential reaches a browser, and keeps them on a save from the editor.
		for (const field of [SHARED_TOKENS_FIELD, CREDENTIAL_SESSION_FIELDS[credential.name]]) {
			expect(credential.properties.find((property) => property.name === field)).toMatchObject({ type: 'hidden', typeOptions: { password: true } });
		}
	}
});

describe('a token obtained in one n8n process serves the others through the credential', () => {
	let boknett: FakeBoknett;
	let onlyoffice: FakeOnlyoffice;
	let previous: TokenStore;
	/** A new n8n process: an empty token store. */
	const newProcess = () => replaceTokenStore(new TokenStore(FAST_CLOCK));

	beforeAll(async () => {
		boknett = await new FakeBoknett().start();
		onlyoffice = await new FakeOnlyoffice().start();
		previous = replaceTokenStore(new TokenStore(FAST_CLOCK));
	});
	afterAll(async () => {
		replaceTokenStore(previous);
		await Promise.all([boknett.stop(), onlyoffice.stop()]);
	});

	const logins = () => boknett.requestsTo('/v1/tickets').filter((request) => request.method === 'POST').length;

	it('Boknett Ticket: the second process hands out the first one\'s ticket (reused), a logout removes it, and the next process logs in', async () => {
		const node = new BoknettTicket();
		let saved: CredentialsByType = { boknettApi: { environment: 'custom', baseUrl: boknett.baseUrl, ...BOKNETT_USER, sessionTicket: '', sharedTokens: '' } };
		const before = logins();
		newProcess();
		const first = await executeNode(node, { credentials: saved, parameters: { operation: 'create' } });
		saved = first.harness.savedCredentials;
		const token = String(first.output?.[0][0].json.token);
		expect(logins() - before).toBe(1);
		expect(String(saved.boknettApi.sharedTokens)).not.toBe('');
		expect(leakedSecrets([saved.boknettApi.sharedTokens], { password: BOKNETT_USER.password, token })).toEqual([]);
		// The HTTP Request node's session is left as it was.
		expect(saved.boknettApi.sessionTicket).toBe('');

		newProcess();
		const second = await executeNode(node, { credentials: saved, parameters: { operation: 'create' } });
		expect(second.output?.[0][0].json).toMatchObject({ token, reused: true });
		expect(logins() - before).toBe(1);

		newProcess();
		const logout = await executeNode(node, { credentials: saved, parameters: { operation: 'delete', ticket: token } });
		saved = logout.harness.savedCredentials;
		newProcess();
		const third = await executeNode(node, { credentials: saved, parameters: { operation: 'create' } });
		expect(third.output?.[0][0].json).toMatchObject({ reused: false });
		expect(third.output?.[0][0].json.token).not.toBe(token);
		expect(logins() - before).toBe(2);
	});

	it('ONLYOFFICE Auth: a token completed with a person\'s SMS code at the waiting node serves a later run in another process with no new code', async () => {
		const node = new OnlyofficeAuth();
		const credentials: CredentialsByType = { onlyofficeApi: { portalUrl: onlyoffice.baseUrl, ...ONLYOFFICE_SMS_2FA_USER, totpSecret: '', sessionToken: '', sharedTokens: '' } };
		const codes: string[] = [];
		onlyoffice.onSmsCode = (code) => codes.push(code);
		const parameters = { operation: 'logIn', smsCodeHandling: 'wait' };
		newProcess();
		const login = await executeNode(node, { credentials, parameters, executionId: '901' });
		const sent = login.output?.[0][0].json ?? {};
		expect(sent).toMatchObject({ status: 'smsCodeSent' });
		// The webhook processor: it takes the code and completes the login.
		newProcess();
		const waiting = await executeNode(node, { credentials, parameters: { operation: 'waitForSmsCode' }, input: [{ json: sent }] });
		const accepted = await callWebhook(waiting.harness, node, { method: 'POST', body: { code: String(codes.at(-1)) } });
		const token = String(accepted.result.workflowData?.[0][0].json.token);
		expect(onlyoffice.liveTokens.has(token)).toBe(true);
		// A worker runs the next execution.
		newProcess();
		const codesBefore = onlyoffice.smsCodesSent;
		const next = await executeNode(node, { credentials: waiting.harness.savedCredentials, parameters });
		expect(next.output?.[0][0].json).toMatchObject({ token, reused: true });
		expect(onlyoffice.smsCodesSent - codesBefore).toBe(0);
		onlyoffice.onSmsCode = undefined;
	});
});
