/**
 * The base of every fake provider: a real HTTP server on 127.0.0.1 (a free port unless one is
 * given) that records each request it receives, so tests check what was sent as well as what
 * the node made of the answer.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path with query string, as received. */
	url: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: string;
	/** The bytes as received, to check encodings (æøå) byte for byte. */
	rawBody: Buffer;
	receivedAt: Date;
}

export interface Reply {
	status: number;
	/** A custom reason phrase, as Altinn sends ("Required header 'ApiKey' is missing."). */
	reason?: string;
	/** An array value sends the header once per entry (a duplicated header). */
	headers?: Record<string, string | string[]>;
	body?: string | Buffer;
	/** Wait this long before answering: longer than a node's timeout makes it time out. */
	delayMs?: number;
	/** Close the connection without answering at all. */
	hangUp?: boolean;
	/** Never answer; the connection stays open until the fake stops. */
	silent?: boolean;
	/** Send the status, headers and `body`, then stall without ending the answer. */
	stallAfterBody?: boolean;
	/** Send the status, headers and `body`, then close the connection mid-answer. */
	cutAfterBody?: boolean;
	/** After `body`, stream this many more bytes of filler (a huge or endless answer). */
	fillerBytes?: number;
}

export abstract class FakeServer {
	readonly requests: RecordedRequest[] = [];

	/** Delay every answer this long (unless the reply sets its own): makes concurrent requests overlap. */
	answerDelayMs = 0;

	private server: Server | undefined;

	private port = 0;

	private readonly pendingTimers = new Set<NodeJS.Timeout>();

	private readonly script: Reply[] = [];

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(port = 0): Promise<this> {
		this.server = createServer((request, response) => void this.receive(request, response));
		await new Promise<void>((resolve, reject) => {
			this.server?.once('error', reject);
			this.server?.listen(port, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		for (const timer of this.pendingTimers) clearTimeout(timer);
		this.pendingTimers.clear();
		const server = this.server;
		this.server = undefined;
		if (!server) return;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Requests whose path starts with this prefix, in order. */
	requestsTo(pathPrefix: string): RecordedRequest[] {
		return this.requests.filter((request) => request.path.startsWith(pathPrefix));
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	/**
	 * Serves these replies to the next requests, one each and whatever their path, before the
	 * fake's own behaviour resumes: a scripted fault for any fake, e.g. three 503s, or a 302.
	 */
	serveNext(...replies: Reply[]): void {
		this.script.push(...replies);
	}

	/** Forgets replies scripted with serveNext that no request has taken. */
	clearScript(): void {
		this.script.length = 0;
	}

	protected abstract handle(request: RecordedRequest): Reply | Promise<Reply>;

	private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const url = request.url ?? '/';
		const rawBody = Buffer.concat(chunks);
		const recorded: RecordedRequest = {
			method: request.method ?? 'GET',
			url,
			path: url.split('?')[0],
			headers: request.headers,
			body: rawBody.toString('utf8'),
			rawBody,
			receivedAt: new Date(),
		};
		this.requests.push(recorded);
		let reply: Reply;
		try {
			reply = this.script.shift() ?? (await this.handle(recorded));
		} catch (error) {
			reply = { status: 500, body: `fake server bug: ${(error as Error).message}` };
		}
		const send = () => this.send(response, reply);
		const delayMs = reply.delayMs ?? this.answerDelayMs;
		if (delayMs) {
			const timer = setTimeout(() => {
				this.pendingTimers.delete(timer);
				send();
			}, delayMs);
			this.pendingTimers.add(timer);
		} else {
			send();
		}
	}

	private send(response: ServerResponse, reply: Reply): void {
		if (response.destroyed || reply.silent) return;
		if (reply.hangUp) {
			response.socket?.destroy();
			return;
		}
		response.statusCode = reply.status;
		if (reply.reason) response.statusMessage = reply.reason;
		for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
		if (reply.stallAfterBody) {
			response.flushHeaders();
			response.write(reply.body ?? '');
			return;
		}
		if (reply.cutAfterBody) {
			response.write(reply.body ?? '', () => response.socket?.destroy());
			return;
		}
		if (reply.fillerBytes) {
			response.write(reply.body ?? '');
			this.streamFiller(response, reply.fillerBytes);
			return;
		}
		response.end(reply.body ?? '');
	}

	/** Writes filler as fast as the client reads it, and stops when the client goes away. */
	private streamFiller(response: ServerResponse, bytes: number): void {
		const chunk = Buffer.alloc(64 * 1024, 'A');
		let left = bytes;
		const writeMore = () => {
			while (left > 0 && !response.destroyed) {
				const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
				left -= piece.length;
				if (!response.write(piece)) {
					response.once('drain', writeMore);
					return;
				}
			}
			if (!response.destroyed) response.end();
		};
		response.on('close', () => (left = 0));
		writeMore();
	}
}

export const HTML_ERROR_PAGE =
	'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy could not reach the service.</p></body></html>';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
	return {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(body),
	};
}

export function header(request: RecordedRequest, name: string): string | undefined {
	const value = request.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
