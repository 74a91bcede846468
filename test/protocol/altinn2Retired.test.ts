/**
 * Altinn 2 was shut down on 19 June 2026: when a real Altinn host answers with something that is not
 * one of the documented shapes, the error says so and names the Altinn 3 login to use. A custom
 * address (a sandbox, a proxy) keeps the ordinary message, and so do refusals.
 */
import { altinnPasswordLogin } from '../../nodes/Altinn/logins/password';
import { altinnSmsPinLogin } from '../../nodes/Altinn/logins/smsPin';
import type { LoginContext } from '../../nodes/shared/loginModule';
import type { HttpAnswer, HttpRequestSpec } from '../../nodes/shared/protocol/http';
import { SecretCollector } from '../../nodes/shared/secrets';
import { problemOfAsync } from '../helpers/answers';

/** What a retired address might answer now: a web page that is not Altinn's API. */
const GONE_PAGE: HttpAnswer = { statusCode: 404, statusMessage: 'Not Found', headers: { 'content-type': 'text/html' }, body: '<html><body>Siden finnes ikke</body></html>' };
const REFUSED: HttpAnswer = { statusCode: 401, statusMessage: 'Unauthorized', headers: {}, body: '' };

function contextAnswering(answer: HttpAnswer, sent: HttpRequestSpec[]): LoginContext {
	return {
		send: async (request) => {
			sent.push(request);
			return answer;
		},
		now: () => new Date('2026-11-29T12:00:00Z'),
		secrets: new SecretCollector(),
	};
}

const restCredential = (environment: string) => ({ environment, baseUrl: 'http://127.0.0.1:1', username: 'regnskap@firma.no', password: 'Passord-1' });
const pinCredential = (environment: string) => ({
	environment,
	baseUrl: 'http://127.0.0.1:1',
	authMethod: 'SMSPin' as const,
	userSsn: '01017012345',
	userPassword: 'Passord-1',
});

describe('Altinn 2 after its shutdown', () => {
	it.each(['production', 'test'])('the password login at the %s host says Altinn 2 is gone and what to use', async (environment) => {
		const sent: HttpRequestSpec[] = [];
		const problem = await problemOfAsync(() => altinnPasswordLogin.login(contextAnswering(GONE_PAGE, sent), restCredential(environment), {}));
		expect(problem.details.hint).toMatch(/^Altinn shut Altinn 2 down on 19 June 2026.*Altinn 3 system user/);
		expect(new URL(sent[0].url).host).toBe(environment === 'production' ? 'www.altinn.no' : 'tt02.altinn.no');
	});

	it('the PIN request at a real host says the same', async () => {
		const problem = await problemOfAsync(() => altinnSmsPinLogin.login(contextAnswering(GONE_PAGE, []), pinCredential('production'), {}));
		expect(problem.details.hint).toMatch(/^Altinn shut Altinn 2 down on 19 June 2026/);
	});

	it('a custom address keeps the ordinary message, and a refusal keeps its own words', async () => {
		const custom = await problemOfAsync(() => altinnPasswordLogin.login(contextAnswering(GONE_PAGE, []), restCredential('custom'), {}));
		expect(custom.details.hint).not.toMatch(/19 June 2026/);
		const refused = await problemOfAsync(() => altinnPasswordLogin.login(contextAnswering(REFUSED, []), restCredential('production'), {}));
		expect(refused.details.kind).toBe('rejected');
		expect(refused.details.hint).not.toMatch(/19 June 2026/);
	});
});
