// Jest runs the longest test files first, so that its two workers finish together; it knows how long a
// file takes only from an earlier run. On a fresh clone (CI) the end-to-end files take the times measured
// here (npm test, two workers, two cores) instead, or their few lines would put them last.
const { basename } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const MEASURED_SECONDS = {
	'browser.test.ts': 281,
	'realN8n.n8n2.test.ts': 203,
	'queueMode.test.ts': 180,
	'editorLogins.n8n2.test.ts': 176,
	'editorLogins.n8n1.test.ts': 176,
	'realN8n.n8n1.test.ts': 158,
};

class LongestFirst extends Sequencer {
	time(test) {
		const seconds = MEASURED_SECONDS[basename(test.path)];
		return super.time(test) ?? (seconds === undefined ? undefined : seconds * 1000);
	}
}

module.exports = LongestFirst;
