/**
 * Process → Next Step: moves the process on from its current task once, with the action the task needs
 * (confirm, sign) or the one chosen (reject). A failed answer that leaves it unknown is looked up, never
 * sent blind; data with errors stop it with the app's issues.
 */
import type { NodeOperation } from '../../../../shared/nodeOperations';
import { optionsCollection } from '../../../../shared/descriptions';
import { LoginProblem } from '../../../../shared/protocol/loginProblem';
import { AppProblem, checkInstanceId } from '../../../protocol/apps';
import { moveOn, readInstance } from '../../../protocol/filing';
import { APP_OPTIONS, APP_PROPERTIES, eachAppItem, instanceItem } from '../appItem';
import { INSTANCE_ID_PROPERTY } from '../instance/get.operation';

export const nextStep: NodeOperation = {
	option: { name: 'Next Step', value: 'nextStep', description: 'Move the process on from its current task (confirm, sign, or reject)', action: 'Move an instance to its next step' },
	subtitle: 'Next step',
	properties: [
		...APP_PROPERTIES,
		INSTANCE_ID_PROPERTY,
		{
			displayName: 'Process Action',
			name: 'processAction',
			type: 'options',
			options: [
				{ name: 'As the Task Asks', value: 'auto', description: 'Confirm a confirmation task, sign a signing task, and nothing for a data task' },
				{ name: 'Confirm', value: 'confirm' },
				{ name: 'Reject', value: 'reject', description: 'Send the filing back (a signing task that allows it)' },
				{ name: 'Sign', value: 'sign' },
			],
			default: 'auto',
		},
		optionsCollection(APP_OPTIONS),
	],
	execute: eachAppItem(1, async (item) => {
		const instanceId = checkInstanceId(item.text('instanceId'));
		item.identify({ instanceId });
		const chosen = item.text('processAction');
		const before = await readInstance(item.session, instanceId);
		if (!before.currentTask) {
			throw new LoginProblem({ kind: 'rejected', message: 'The instance has no step to move on from: its process has ended', hint: 'Read it with Get, or download its receipt.' });
		}
		const steps: string[] = [];
		const failure = await moveOn(item.session, before, steps, chosen && chosen !== 'auto' ? chosen : undefined).then(
			() => undefined,
			(error: unknown) => error,
		);
		if (failure !== undefined) {
			// The issues a 409 listed go with the failed item, for the workflow to act on.
			if (failure instanceof AppProblem && failure.issues.length > 0) item.identify({ issues: failure.issues.map((issue) => ({ ...issue })) });
			throw failure;
		}
		return { json: { ...instanceItem(await readInstance(item.session, instanceId)), steps }, output: 0 };
	}),
};
