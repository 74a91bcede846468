/**
 * The local provider sandboxes for `npm start`: the test fakes on fixed local ports, with the test
 * accounts, and the n8n credentials that point at them. A PIN the fake Altinn "sends by SMS" is
 * printed here and listed at http://127.0.0.1:5703/__sandbox/sms.
 */
import { ALTINN_PERSON, ALTINN_REST_USER, FakeAltinn } from '../test/fakes/fakeAltinn';
import { BOKNETT_USER, FakeBoknett } from '../test/fakes/fakeBoknett';
import { FakeOnlyoffice, ONLYOFFICE_USER } from '../test/fakes/fakeOnlyoffice';

export const SANDBOX_PORTS = { boknett: 5701, onlyoffice: 5702, altinn: 5703 } as const;

export interface Sandboxes {
	boknett: FakeBoknett;
	onlyoffice: FakeOnlyoffice;
	altinn: FakeAltinn;
	stop(): Promise<void>;
}

export async function startSandboxes(ports: { boknett: number; onlyoffice: number; altinn: number } = SANDBOX_PORTS): Promise<Sandboxes> {
	const boknett = await new FakeBoknett().start(ports.boknett);
	const onlyoffice = await new FakeOnlyoffice().start(ports.onlyoffice);
	const altinn = await new FakeAltinn().start(ports.altinn);
	return {
		boknett,
		onlyoffice,
		altinn,
		async stop() {
			await Promise.all([boknett.stop(), onlyoffice.stop(), altinn.stop()]);
		},
	};
}

/** n8n credentials (for `n8n import:credentials`, which encrypts them) matching the example workflows' ids. */
export function sandboxCredentials(sandboxes: Pick<Sandboxes, 'boknett' | 'onlyoffice' | 'altinn'>) {
	return [
		{
			id: 'sandboxBoknett01',
			name: 'Boknett sandbox',
			type: 'boknettApi',
			data: { environment: 'custom', baseUrl: sandboxes.boknett.baseUrl, ...BOKNETT_USER },
		},
		{
			id: 'sandboxOnlyoff01',
			name: 'ONLYOFFICE sandbox',
			type: 'onlyofficeApi',
			data: { portalUrl: sandboxes.onlyoffice.baseUrl, ...ONLYOFFICE_USER },
		},
		{
			id: 'sandboxAltinn001',
			name: 'Altinn sandbox',
			type: 'altinnApi',
			data: { environment: 'custom', baseUrl: sandboxes.altinn.baseUrl, ...ALTINN_REST_USER },
		},
		{
			id: 'sandboxAltinnSms1',
			name: 'Altinn SMS PIN sandbox',
			type: 'altinnSmsPinApi',
			data: {
				environment: 'custom',
				baseUrl: sandboxes.altinn.baseUrl,
				authMethod: 'SMSPin',
				systemUserName: ALTINN_PERSON.systemUserName,
				systemPassword: ALTINN_PERSON.systemPassword,
				userSsn: ALTINN_PERSON.ssn,
				userPassword: ALTINN_PERSON.password,
			},
		},
	];
}

// Run directly (`node .sandbox/build/scripts/sandbox.js`): start the sandboxes until Ctrl-C.
if (require.main === module) {
	void (async () => {
		const sandboxes = await startSandboxes();
		sandboxes.altinn.onPinSent = (pin) => console.log(`[sandbox] Altinn "sent" the SMS PIN ${pin}`);
		console.log(`[sandbox] Boknett ${sandboxes.boknett.baseUrl}, ONLYOFFICE ${sandboxes.onlyoffice.baseUrl}, Altinn ${sandboxes.altinn.baseUrl}`);
		const stop = () => void sandboxes.stop().then(() => process.exit(0));
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	})();
}
