/** Norwegian organisation numbers (organisasjonsnummer): nine digits, the last a modulus-11 check digit. */
import { LoginProblem } from '../../shared/protocol/loginProblem';
import { quoted } from '../../shared/protocol/nationalIdNumber';

const ORG_NUMBER_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

/** The check digit for the first eight digits, or null when modulus 11 leaves remainder 1 (no valid number). */
export function organisationNumberCheckDigit(firstEight: string): number | null {
	if (!/^\d{8}$/.test(firstEight)) return null;
	const sum = ORG_NUMBER_WEIGHTS.reduce((total, weight, index) => total + weight * Number(firstEight[index]), 0);
	const remainder = sum % 11;
	if (remainder === 0) return 0;
	if (remainder === 1) return null;
	return 11 - remainder;
}

/**
 * A Norwegian organisation number, spaces removed, or a `badInput` problem before anything is sent:
 * Altinn would otherwise answer with an error that does not say which number was wrong.
 */
export function checkOrganisationNumber(value: string, what = 'organisation number'): string {
	const digits = String(value ?? '').replace(/\s+/g, '');
	if (!/^\d{9}$/.test(digits)) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${what} "${quoted(digits, 20)}" is not 9 digits`,
			hint: 'A Norwegian organisation number has 9 digits, e.g. 974 761 076. Spaces are fine; other characters are not.',
		});
	}
	if (organisationNumberCheckDigit(digits.slice(0, 8)) !== Number(digits[8])) {
		throw new LoginProblem({
			kind: 'badInput',
			message: `The ${what} ${digits} is not a valid organisation number (its check digit does not match)`,
			hint: 'Check the number for a typing error; you can look it up in Brønnøysundregistrene (brreg.no).',
		});
	}
	return digits;
}

