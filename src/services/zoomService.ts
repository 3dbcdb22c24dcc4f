import type * as vscode from 'vscode';
import type { CredentialStore } from '../auth/credentialStore';
import type { Settings } from '../config/settings';
import { outputChannelLogger } from '../log/outputLogger';
import {
  RateLimiter,
  realClock,
  ServerToServerTokenSource,
  StaticTokenSource,
  ZoomClient,
  ZoomError,
  type Credentials,
  type TokenSource,
  type ZoomLogger,
} from '../zoom';

/**
 * Builds the Zoom client from the settings and the stored credentials, and
 * keeps one rate limiter for everything the extension does at once.
 */
export class ZoomService {
  readonly limiter: RateLimiter;
  readonly logger: ZoomLogger;
  private client: Promise<ZoomClient> | undefined;

  constructor(
    private readonly credentials: CredentialStore,
    private settings: Settings,
    log: vscode.LogOutputChannel,
  ) {
    this.logger = outputChannelLogger(log);
    this.limiter = new RateLimiter(settings.maxRequestsPerSecond);
  }

  get currentSettings(): Settings {
    return this.settings;
  }

  /** Settings or credentials changed: the next request builds a new client (the limiter stays). */
  reset(settings?: Settings): void {
    if (settings) {
      this.settings = settings;
      this.limiter.setRate(settings.maxRequestsPerSecond);
    }
    this.client = undefined;
  }

  /** The client for the stored credentials; rejects with a ZoomError `auth` when signed out. */
  getClient(): Promise<ZoomClient> {
    this.client ??= this.build().catch((e: unknown) => {
      this.client = undefined;
      throw e;
    });
    return this.client;
  }

  private async build(): Promise<ZoomClient> {
    const credentials = await this.credentials.get();
    if (!credentials) {
      throw new ZoomError(
        'auth',
        'You are not signed in to Zoom. Set an access token or sign in with Server-to-Server OAuth.',
      );
    }
    return this.clientFor(credentials);
  }

  /** A client for given credentials (also used to check credentials before storing them). */
  clientFor(credentials: Credentials): ZoomClient {
    const s = this.settings;
    return new ZoomClient({
      apiBaseUrl: s.apiBaseUrl,
      tokens: this.tokenSource(credentials),
      limiter: this.limiter,
      timeoutMs: s.requestTimeoutSeconds * 1000,
      logger: this.logger,
    });
  }

  tokenSource(credentials: Credentials): TokenSource {
    if (credentials.kind === 'token') return new StaticTokenSource(credentials.token);
    return new ServerToServerTokenSource({
      ...credentials,
      oauthBaseUrl: this.settings.oauthBaseUrl,
      timeoutMs: this.settings.requestTimeoutSeconds * 1000,
      retry: { maxAttempts: 3, backoffBaseMs: 500, backoffCapMs: 5000, random: Math.random, clock: realClock },
      logger: this.logger,
    });
  }
}
