/**
 * Norwegian national ID numbers (fødselsnummer, D-numbers, synthetic test numbers): the check, and
 * the masking of any such number in text a node shows (a provider's answer, a value a workflow
 * mapped into the wrong field), whose people the node may not know to redact.
 */

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1];
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

const weightedRemainder = (digits: string, weights: number[]) => weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0) % 11;

/**
 * True for an 11-digit national ID number whose two check digits hold. The first check digit may
 * take one of the four values of the 2032 rules, as Altinn's own check allows; the second is the
 * classic one.
 */
export function isNationalIdNumber(digits: string): boolean {
	return /^\d{11}$/.test(digits) && weightedRemainder(digits, K1_WEIGHTS) <= 3 && weightedRemainder(digits, K2_WEIGHTS) === 0;
}

/** The text with every run of exactly 11 digits that is a valid national ID number replaced. */
export function maskNationalIdNumbers(text: string): string {
	return text.replace(/(?<!\d)\d{11}(?!\d)/g, (digits) => (isNationalIdNumber(digits) ? '[national ID number]' : digits));
}

/**
 * A value as an error quotes it: national ID numbers masked in the whole value first, then cut to
 * `maxLength` (with "…"), so that a number at the edge of the cut never shows in part.
 */
export function quoted(value: unknown, maxLength: number): string {
	const text = maskNationalIdNumbers(String(value ?? ''));
	return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
