import { LoginProblem } from '../../nodes/shared/protocol/loginProblem';
import { consentParty, readConsentTokenAnswer } from '../../nodes/Altinn/protocol/consentToken';
import { isNationalIdNumber, maskNationalIdNumbers } from '../../nodes/shared/protocol/nationalIdNumber';

const ID = '77ed8698-e619-4066-9eb4-5c1eb3f165a1';
const PERSON = consentParty('21818297804');
const answer = (statusCode: number, body: unknown) => ({ statusCode, statusMessage: '', headers: {}, body: JSON.stringify(body) });

describe('consent party', () => {
	it('reads a national ID number, an organisation number and Altinn URNs of both, spaces allowed', () => {
		expect(consentParty('218182 97804')).toEqual({ kind: 'person', nationalIdNumber: '21818297804', urn: 'urn:altinn:person:identifier-no:21818297804' });
		expect(consentParty('urn:altinn:person:identifier-no:21818297804')).toEqual(PERSON);
		expect(consentParty('310 547 891')).toEqual({ kind: 'organisation', orgNumber: '310547891', urn: 'urn:altinn:organization:identifier-no:310547891' });
		expect(consentParty('urn:altinn:organization:identifier-no:310547891').kind).toBe('organisation');
	});

	it('checks both check digits of a national ID number, with the 2032 rules for the first', () => {
		expect(isNationalIdNumber('21818297804')).toBe(true);
		expect(isNationalIdNumber('21818297805')).toBe(false);
		expect(isNationalIdNumber('2181829780')).toBe(false);
		// Quoted answers: a valid number is masked, other digit runs stay (an order number, a longer run, a bad check digit).
		expect(maskNationalIdNumbers('from urn:altinn:person:identifier-no:21818297804, ref 21818297805, 218182978041')).toBe('from urn:altinn:person:identifier-no:[national ID number], ref 21818297805, 218182978041');
		// A URN of one kind with a number of the other kind is neither.
		expect(() => consentParty('urn:altinn:organization:identifier-no:21818297804')).toThrow(/neither/);
	});
});

describe("Maskinporten's consent token answer", () => {
	it('reads the consent from the answer beside an opaque token (RFC 9396 allows either place)', () => {
		const { consent } = readConsentTokenAnswer(
			answer(200, {
				access_token: 'opaque',
				expires_in: 120,
				authorization_details: [{ type: 'urn:altinn:consent', id: ID, from: PERSON.urn, to: { authority: 'iso6523-actorid-upis', ID: '0192:991825827' }, validTo: '2027-01-01T00:00:00Z', consentRights: [{ action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'r' }], metaData: { inntektsaar: '2025' } }] }],
			}),
			ID,
			PERSON,
			new Date(),
		);
		expect(consent).toEqual({ consentId: ID, consented: null, validTo: '2027-01-01T00:00:00Z', toOrgNumber: '991825827', consentRights: [{ action: ['consent'], resource: [{ type: 'urn:altinn:resource', value: 'r' }], metadata: { inntektsaar: '2025' } }] });
	});

	it('refuses to hand on a token that carries another consent', () => {
		const other = '00000000-0000-4000-8000-000000000000';
		expect(() => readConsentTokenAnswer(answer(200, { access_token: 'opaque', expires_in: 120, authorization_details: [{ type: 'urn:altinn:consent', id: other }] }), ID, PERSON, new Date())).toThrow(/carries consent 00000000/);
	});

	it.each([
		['invalid_authorization_details', 'AM-00011 Consent is revoked', /it was revoked/],
		['invalid_grant', 'Altinn consent lookup failed: AM-00013', /it has expired/],
		['invalid_authorization_details', 'something else', /Altinn says it does not hold/],
	])('a refusal (%s: %s) is a refused login that says why, and never names the person', (error, description, reason) => {
		let thrown: unknown;
		try {
			readConsentTokenAnswer(answer(400, { error, error_description: description }), ID, PERSON, new Date());
		} catch (problem) {
			thrown = problem;
		}
		expect(thrown).toBeInstanceOf(LoginProblem);
		expect((thrown as LoginProblem).details).toMatchObject({ kind: 'rejected', message: expect.stringMatching(reason) });
		expect((thrown as LoginProblem).message).not.toContain('21818297804');
	});
});
