/**
 * The page a person sees at a waiting execution's form URL, and the small facts it shows: which
 * service and account the code is for (masked, so a stranger holding the link learns little), and
 * until when the code is valid. Every value goes into the page escaped.
 */
import type { IWebhookFunctions, INodeParameters } from 'n8n-workflow';

function escapeHtml(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** One line of "which service and account": shown as given, so it must already be masked. */
export interface PageFact {
	label: string;
	value: string;
}

export interface PinFormText {
	title: string;
	prompt: string;
	/** The provider's own word for what the person types: "PIN" (Altinn) or "code" (ONLYOFFICE). */
	word: string;
	/** Which service and account the code is for. */
	facts?: PageFact[];
	/** Until when the code is valid, e.g. "Valid until 14:32 (Europe/Oslo)", or a sentence without a time. */
	validity?: string;
	/** What the page says once the code is taken: whether it was checked there, and what happens next. */
	received: string;
	/** True when the code is digits only: phones then show their number pad. */
	digitsOnly?: boolean;
}

/** The look of n8n's own form pages (light background, white card, n8n's orange button), self-contained. */
const STYLE = [
	'*{box-sizing:border-box}',
	'body{margin:0;padding:24px 16px;background:#fbfcfe;color:#555;font:14px/1.5 "Open Sans",system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}',
	'main{max-width:448px;margin:0 auto;padding:24px;background:#fff;border:1px solid #dbdfe7;border-radius:8px;box-shadow:0 4px 16px rgba(99,77,255,.06)}',
	'h1{margin:0 0 16px;font-size:20px;font-weight:600;color:#525356}',
	'dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:4px 12px;margin:0 0 12px}',
	'dt{color:#7e8186}dd{margin:0;overflow-wrap:anywhere}p{margin:0 0 16px}',
	'label{display:block;margin-bottom:8px;font-weight:600}',
	'input{display:block;width:100%;padding:12px;border:1px solid #dbdfe7;border-radius:6px;background:#fff;color:#525356;font:inherit;font-size:20px;letter-spacing:.15em}',
	'input:focus{outline:2px solid #5a4cc2;outline-offset:1px;border-color:#5a4cc2}',
	'button{display:block;width:100%;height:48px;margin-top:16px;border:0;border-radius:6px;background:#ff6d5a;color:#fff;font:inherit;font-size:16px;font-weight:600;cursor:pointer}',
	'button:hover{background:#e8553f}button:focus-visible{outline:2px solid #5a4cc2;outline-offset:2px}',
	'.error{margin:8px 0 0;color:#d0172a}.done{margin:0;color:#1b5e20}',
].join('');

/** A self-contained page (no external assets) that posts the code back to the URL it came from. */
export function pinFormPage(text: PinFormText, state: { error?: string; done?: boolean } = {}): string {
	const facts = text.facts?.length
		? `<dl>${text.facts.map((fact) => `<dt>${escapeHtml(fact.label)}</dt><dd>${escapeHtml(fact.value)}</dd>`).join('')}</dl>`
		: '';
	const body = state.done
		? `<p class="done">${escapeHtml(text.received)} You can close this page.</p>`
		: `${text.validity ? `<p class="validity">${escapeHtml(text.validity)}</p>` : ''}<form method="post" action="">
<label for="pin">${escapeHtml(text.prompt)}</label>
<input id="pin" name="pin" type="text" inputmode="${text.digitsOnly ? 'numeric' : 'text'}" autocomplete="one-time-code" required autofocus>
${state.error ? `<p class="error" role="alert">${escapeHtml(state.error)}</p>` : ''}
<button type="submit">Send</button>
</form>`;
	return pageFrame(text.title, `${facts}${body}`);
}

/** A page that only says something: where a person lands after deciding elsewhere (Altinn's consent page). */
export function messagePage(title: string, sentence: string): string {
	return pageFrame(title, `<p>${escapeHtml(sentence)}</p>`);
}

/** The page around a title and already-escaped content. */
function pageFrame(title: string, content: string): string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`;
}

/**
 * A national ID number as the page may show it: its last two digits only, or undefined when it does
 * not look like one (fewer than 6 digits), so nothing of a mistyped value is shown.
 */
export function maskNationalIdNumber(value: string | undefined): string | undefined {
	const digits = (value ?? '').replace(/\D/g, '');
	if (digits.length < 6) return undefined;
	return `national ID number ending in ${digits.slice(-2)}`;
}

/**
 * A username or e-mail address as the page may show it: the first letter and the domain, so the
 * person recognises it ("a…@example.no") and a stranger learns little. Undefined when empty.
 */
export function maskUsername(value: string | undefined): string | undefined {
	const trimmed = (value ?? '').trim();
	if (!trimmed) return undefined;
	const at = trimmed.lastIndexOf('@');
	const local = at >= 0 ? trimmed.slice(0, at) : trimmed;
	const domain = at >= 0 ? trimmed.slice(at) : '';
	// A one-letter name would be given away whole by its first letter.
	const first = [...local].length > 1 ? [...local][0] : '';
	return `${first}…${domain}`;
}

/** The host (and port) of an http(s) address, or undefined when it is not one. */
export function hostOf(url: string | undefined): string | undefined {
	try {
		const parsed = new URL(String(url ?? '').trim());
		return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host : undefined;
	} catch {
		return undefined;
	}
}

/** The wall-clock parts of an instant in a time zone. */
function partsIn(instant: Date, timeZone: string): { date: string; time: string; utcOfWallClock: number } {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(instant);
	const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '00';
	const [year, month, day, hour, minute, second] = (['year', 'month', 'day', 'hour', 'minute', 'second'] as const).map((type) => Number(part(type)));
	return {
		date: `${part('year')}-${part('month')}-${part('day')}`,
		time: `${part('hour')}:${part('minute')}`,
		utcOfWallClock: Date.UTC(year, month - 1, day, hour, minute, second),
	};
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * The instant a date-time string names. One with a zone (`Z` or an offset) is read as it is; one
 * without is read as a wall-clock time in `wallClockZone`, or refused when there is none. Dates
 * before 2000 (such as .NET's empty 0001-01-01) are refused.
 */
export function parseInstant(value: unknown, wallClockZone?: string): Date | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const text = value.trim();
	const wallClock = WALL_CLOCK.exec(text);
	let instant: number;
	if (wallClock) {
		if (!wallClockZone) return undefined;
		const [year, month, day, hour, minute, second] = wallClock.slice(1, 7).map((part) => Number(part ?? 0));
		const guess = Date.UTC(year, month - 1, day, hour, minute, second);
		// The zone's offset at that moment, checked once more in case the guess crossed a clock change.
		const first = guess - (partsIn(new Date(guess), wallClockZone).utcOfWallClock - guess);
		instant = guess - (partsIn(new Date(first), wallClockZone).utcOfWallClock - first);
	} else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
		instant = Date.parse(text);
	} else {
		return undefined;
	}
	if (!Number.isFinite(instant) || new Date(instant).getUTCFullYear() < 2000) return undefined;
	return new Date(instant);
}

/**
 * "Valid until 14:32 (Europe/Oslo)", in the workflow's time zone, with the date when it is not
 * today there; undefined when the instant or the zone is unusable.
 */
export function validUntilSentence(validTo: Date | undefined, timeZone: string, now: Date = new Date()): string | undefined {
	if (!validTo) return undefined;
	try {
		const until = partsIn(validTo, timeZone);
		const today = partsIn(now, timeZone);
		const day = until.date === today.date ? '' : ` on ${until.date}`;
		return `Valid until ${until.time}${day} (${timeZone})`;
	} catch {
		return undefined;
	}
}

/** What the code page needs from n8n's webhook context to find the step that started the login. */
export type AncestorContext = Pick<IWebhookFunctions, 'getNode' | 'getParentNodes' | 'evaluateExpression'>;

/** How far back the page looks for the step that started the login. */
const MAX_DEPTH = 25;

/**
 * A field of the first output item of the nearest earlier node of this node's own type that
 * `isStartingStep` accepts (the step that made the provider send the code), read from the waiting
 * execution's data. Undefined when there is none, it did not run, or the field is empty; never throws.
 */
export function fieldOfStartingStep(context: AncestorContext, field: string, isStartingStep: (parameters: INodeParameters) => boolean): unknown {
	try {
		const own = context.getNode();
		const seen = new Set<string>();
		for (let depth = 1; depth <= MAX_DEPTH; depth++) {
			const fresh = context.getParentNodes(own.name, { includeNodeParameters: true, depth }).filter((parent) => !seen.has(parent.name));
			if (fresh.length === 0) return undefined;
			for (const parent of fresh) {
				seen.add(parent.name);
				if (parent.disabled || parent.type !== own.type || !isStartingStep(parent.parameters ?? {})) continue;
				try {
					const value = context.evaluateExpression(`{{ $(${JSON.stringify(parent.name)}).first().json[${JSON.stringify(field)}] }}`, 0);
					if (value !== undefined && value !== null && value !== '') return value;
				} catch {
					// That step did not run in this execution: look further back.
				}
			}
		}
	} catch {
		// The page is shown without the time rather than not at all.
	}
	return undefined;
}
