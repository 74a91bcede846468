import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NOT_AN_AI_AGENT_TOOL, optionsCollection } from '../shared/descriptions';
import { credentialFor, loginContext, sendHeld } from '../shared/loginRunner';
import { runForEachItem, timeoutOption } from '../shared/runItems';
import { altinn2Step, altinnSmsPinLogin, nationalIdNumberOf, requirePin, smsPinBaseUrl } from './logins/smsPin';
import type { SoapResponseFormat } from './protocol/soap';
import { SOAP_CALL_SENT_ONCE, fillSoapTemplate, readServiceAnswer, resolveSoapEndpoint, soapRequest } from './protocol/soap';

const REPORTEE_ELEMENT_LIST_NS = 'http://www.altinn.no/services/ServiceEngine/ReporteeElementList/2010/10';

const EXAMPLE_BODY = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="${REPORTEE_ELEMENT_LIST_NS}">
  <soapenv:Header/>
  <soapenv:Body>
    <ns:GetReporteeElementListBasicV2>
      <ns:systemUserName>{{systemUserName}}</ns:systemUserName>
      <ns:systemPassword>{{systemPassword}}</ns:systemPassword>
      <ns:userSSN>{{userSSN}}</ns:userSSN>
      <ns:userPassword>{{userPassword}}</ns:userPassword>
      <ns:userPinCode>{{userPinCode}}</ns:userPinCode>
      <ns:authMethod>{{authMethod}}</ns:authMethod>
    </ns:GetReporteeElementListBasicV2>
  </soapenv:Body>
</soapenv:Envelope>`;

export class AltinnSoapRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altinn SOAP Request',
		name: 'altinnSoapRequest',
		icon: { light: 'file:altinn.svg', dark: 'file:altinn.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["endpoint"] }}',
		description: 'Call an Altinn "Basic" SOAP service with the PIN, filling the national ID number and passwords in from the credential',
		defaults: { name: 'Altinn SOAP Request' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Not a tool for AI agents. It needs a PIN a person typed in, and Altinn 2 was shut down on 19
		// June 2026.
		usableAsTool: NOT_AN_AI_AGENT_TOOL,
		credentials: [{ name: 'altinnSmsPinApi', required: true }],
		properties: [
			{
				displayName: 'Endpoint',
				name: 'endpoint',
				type: 'string',
				default: '/ServiceEngineExternal/ReporteeElementListExternalBasic.svc',
				required: true,
				description: 'Path of the Basic service under the credential\'s Altinn environment, or a full URL on the same host',
			},
			{
				displayName: 'SOAP Action',
				name: 'soapAction',
				type: 'string',
				default: `${REPORTEE_ELEMENT_LIST_NS}/IReporteeElementListExternalBasic/GetReporteeElementListBasicV2`,
				required: true,
				description: 'The operation\'s SOAPAction, as the service\'s WSDL gives it',
			},
			{
				displayName: 'SOAP Body',
				name: 'body',
				type: 'string',
				typeOptions: { rows: 12 },
				default: EXAMPLE_BODY,
				required: true,
				description:
					'The whole SOAP envelope. {{systemUserName}}, {{systemPassword}}, {{userSSN}}, {{userPassword}}, {{userPinCode}} and {{authMethod}} are filled in, XML-escaped, from the credential and the PIN, so the workflow never holds them. Inside an expression, write a placeholder as {{ "{{userSSN}}" }}.',
			},
			{
				displayName: 'PIN',
				name: 'pin',
				type: 'string',
				typeOptions: { password: true },
				default: '={{ $json.provider === "altinn-sms" ? $json.token : "" }}',
				description: 'The one-time PIN. By default the token of the incoming Altinn SMS Challenge (Wait for PIN) item.',
			},
			optionsCollection([
				{
					displayName: 'Response Format',
					name: 'responseFormat',
					type: 'options',
					options: [
						{ name: 'JSON', value: 'json', description: 'The content of the SOAP Body, as JSON' },
						{ name: 'Raw XML', value: 'xml', description: 'The whole answer as text, in the field "xml"' },
					],
					default: 'json',
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runForEachItem(this, async (itemIndex, secrets): Promise<IDataObject> => {
			const credential = await credentialFor(this, altinnSmsPinLogin, itemIndex);
			secrets.add(...altinnSmsPinLogin.secrets(credential));
			const pinParameter = this.getNodeParameter('pin', itemIndex, '');
			if (typeof pinParameter === 'string' || typeof pinParameter === 'number') secrets.add(String(pinParameter).trim());
			const rawPin = requirePin(pinParameter);
			const url = resolveSoapEndpoint(smsPinBaseUrl(credential), this.getNodeParameter('endpoint', itemIndex) as string);
			const envelope = fillSoapTemplate(this.getNodeParameter('body', itemIndex) as string, {
				systemUserName: credential.systemUserName ?? '',
				systemPassword: credential.systemPassword ?? '',
				userSSN: nationalIdNumberOf(credential),
				userPassword: credential.userPassword,
				userPinCode: rawPin,
				authMethod: credential.authMethod,
			});
			const soapAction = (this.getNodeParameter('soapAction', itemIndex) as string).trim();
			const { send } = loginContext(this, secrets, timeoutOption(this, itemIndex));
			const format = this.getNodeParameter('options.responseFormat', itemIndex, 'json') as SoapResponseFormat;
			// The call uses the PIN and counts a failed login when refused: held like the login (loginRunner's sendHeld).
			const result = await sendHeld(this, altinnSmsPinLogin, credential, {}, async () =>
				await altinn2Step(credential.environment, async () => readServiceAnswer(await send(soapRequest(url, soapAction, envelope, undefined, SOAP_CALL_SENT_ONCE)), format)),
			);
			// Altinn may echo the person's own details: nothing secret leaves this node.
			return secrets.redactor().redactJson(result) as IDataObject;
		});
	}
}
