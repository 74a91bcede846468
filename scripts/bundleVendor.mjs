#!/usr/bin/env node
/**
 * Bundles the package's two third-party libraries into dist/vendor/ so that the published package
 * has no runtime `dependencies` (n8n's community-package rules): vendor/<lib>.ts re-exports what the
 * nodes use, and esbuild writes one CommonJS file per library with the library and its own
 * dependencies inside. Run after `tsc` (it replaces tsc's output for vendor/). Each bundle starts
 * with the licence texts of the packages it contains.
 *
 * tough-cookie's public-suffix list (the package tldts, 178 kB) is left out: only CookieJar and
 * Cookie#validate() consult it, and the nodes use Cookie.parse and Cookie#expiryTime alone. A stub
 * stands in for it that fails loudly if anything ever reaches it.
 *
 * Afterwards it checks every .js file in dist/: the only packages any of them may require are
 * n8n-workflow and Node.js's built-in modules.
 */
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIBRARIES = ['tough-cookie', 'fast-xml-parser'];

/** The package folder (…/node_modules/<name>) an input file of the bundle belongs to. */
function packageDirOf(file) {
	const parts = file.split('/');
	const at = parts.lastIndexOf('node_modules');
	if (at < 0) return undefined;
	const nameParts = parts[at + 1].startsWith('@') ? 2 : 1;
	return join(root, ...parts.slice(0, at + 1 + nameParts));
}

function licenceBanner(inputs) {
	const dirs = [...new Set(Object.keys(inputs).map(packageDirOf).filter(Boolean))].sort();
	const sections = dirs.map((dir) => {
		const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
		const licenceFile = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
		const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `${manifest.license} (no licence file in the package)`;
		return `${manifest.name}@${manifest.version} (${manifest.license})\n\n${text}`;
	});
	return `/*!\n * Bundled third-party code, with the licences it is distributed under:\n *\n${sections
		.join('\n\n---\n\n')
		.replace(/\*\//g, '* /')
		.split('\n')
		.map((line) => ` * ${line}`.trimEnd())
		.join('\n')}\n */`;
}

/** What stands in for tldts in the tough-cookie bundle. */
const withoutPublicSuffixList = {
	name: 'without-public-suffix-list',
	setup(builder) {
		builder.onResolve({ filter: /^tldts$/ }, () => ({ path: 'tldts', namespace: 'stub' }));
		builder.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
			contents:
				"export function getDomain() { throw new Error('This bundle of tough-cookie has no public-suffix list (tldts): use Cookie.parse, not CookieJar or Cookie#validate.'); }",
			loader: 'js',
		}));
	},
};

const sizes = {};
for (const library of LIBRARIES) {
	const outfile = join(root, 'dist', 'vendor', `${library}.js`);
	const result = await build({
		entryPoints: [join(root, 'vendor', `${library}.ts`)],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['n8n-workflow'],
		legalComments: 'none',
		// Third-party code only: without its whitespace it is a third smaller, names and structure kept.
		minifyWhitespace: true,
		metafile: true,
		write: false,
		logLevel: 'warning',
		plugins: library === 'tough-cookie' ? [withoutPublicSuffixList] : [],
	});
	const [output] = result.outputFiles;
	writeFileSync(outfile, `${licenceBanner(result.metafile.inputs)}\n${output.text}`);
	sizes[library] = statSync(outfile).size;
}

/** Every module a compiled file requires (require("…") calls, as tsc and esbuild write them). */
function requiredModules(text) {
	return [...text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const problems = [];
function check(dir) {
	for (const name of readdirSync(dir)) {
		const file = join(dir, name);
		if (statSync(file).isDirectory()) {
			check(file);
		} else if (name.endsWith('.js')) {
			for (const module of requiredModules(readFileSync(file, 'utf8'))) {
				if (module.startsWith('.')) {
					const target = join(dirname(file), module);
					if (!['', '.js', '.json'].some((ext) => existsSync(target + ext)) && !existsSync(join(target, 'index.js'))) {
						problems.push(`${relative(root, file)} requires ${module}, which is not in dist`);
					}
				} else if (module !== 'n8n-workflow' && !builtins.has(module)) {
					problems.push(`${relative(root, file)} requires the package ${module}`);
				}
			}
		}
	}
}
check(join(root, 'dist'));
if (problems.length) {
	console.error(`dist/ needs packages that are not bundled:\n${problems.join('\n')}`);
	process.exit(1);
}
console.log(
	`bundled ${Object.entries(sizes)
		.map(([library, size]) => `${library} ${(size / 1024).toFixed(1)} kB`)
		.join(', ')} into dist${sep}vendor; dist requires only n8n-workflow and Node.js built-ins`,
);
