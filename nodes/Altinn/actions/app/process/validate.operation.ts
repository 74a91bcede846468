/** Process → Validate: the app's issues for the instance's current task, one field each (severity, code, field, text). */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { buildValidateRequest, checkInstanceId, readValidationAnswer } from '../../../protocol/apps';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem } from '../appItem';
import { INSTANCE_ID_PROPERTY } from '../instance/get.operation';

export const validateInstance: NodeOperation = {
	option: { name: 'Validate', value: 'validate', description: "The app's validation issues for the current task; valid is true when none is an error", action: 'Validate an instance' },
	subtitle: 'Validate',
	properties: [...APP_PROPERTIES, INSTANCE_ID_PROPERTY, optionsCollection(APP_OPTIONS)],
	execute: eachAppItem(1, async (item) => {
		const instanceId = checkInstanceId(item.text('instanceId'));
		item.identify({ instanceId });
		const issues = readValidationAnswer(await item.session.send((token) => buildValidateRequest(item.app, token, instanceId)));
		return { json: { instanceId, valid: !issues.some((issue) => issue.severity === 'error'), issues: issues.map((issue) => ({ ...issue })) }, output: 0 };
	}),
};
