// Loaded by plain-Node tests too (vscode is a type import only), so it uses src/l10n like the plain-Node layers.
import type * as vscode from 'vscode';
import type { CredentialStore } from '../auth/credentialStore';
import type { ClientSettings } from '../config/settings';
import { l10n } from '../l10n';
import { outputChannelLogger } from '../log/outputLogger';
import { setupCore } from './setupCore';
import {
  DEFAULT_API_BASE_URL,
  RateLimiter,
  realClock,
  ServerToServerTokenSource,
  StaticTokenSource,
  ZoomClient,
  todayUtc,
  ZoomError,
  type Credentials,
  type SetupReport,
  type TokenSource,
  type ZoomLogger,
} from '../zoom';

/**
 * Builds one account's Zoom client from the settings and that account's stored credentials,
 * and keeps one rate limiter for everything the extension does at once for that account
 * (Zoom's limits are per account; each account has its own ZoomService, limiter and token cache). Only the
 * settings the client is built from come here (`client: true` in src/config/keys.ts);
 * everything else is read from the SettingsStore.
 */
export class ZoomService {
  readonly limiter: RateLimiter;
  readonly logger: ZoomLogger;
  private client: Promise<ZoomClient> | undefined;

  constructor(
    private readonly credentials: CredentialStore,
    private settings: ClientSettings,
    log: vscode.LogOutputChannel,
    /** The account's name for log lines, when several accounts are open. */
    accountName?: () => string | undefined,
  ) {
    this.logger = outputChannelLogger(log, accountName);
    this.limiter = new RateLimiter(settings.maxRequestsPerSecond);
  }

  get currentSettings(): ClientSettings {
    return this.settings;
  }

  /** Settings or credentials changed: the next request builds a new client (the limiter stays). */
  reset(settings?: ClientSettings): void {
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
        l10n.t('You are not signed in to Zoom. Set an access token or sign in with Server-to-Server OAuth.'),
      );
    }
    return this.clientFor(credentials);
  }

  /** A client for given credentials (also used to check credentials before storing them). */
  clientFor(credentials: Credentials, tokens: TokenSource = this.tokenSource(credentials)): ZoomClient {
    const s = this.settings;
    return new ZoomClient({
      // At its default the setting yields to the api_url in an OAuth token response (the account's data centre).
      apiBaseUrl: apiBaseOverride(s.apiBaseUrl),
      tokens,
      limiter: this.limiter,
      timeoutMs: s.requestTimeoutSeconds * 1000,
      logger: this.logger,
    });
  }

  /**
   * Checks credentials with Zoom before they are stored: a token (for OAuth) and one
   * one-entry page of today's report, so a missing scope or plan is named at sign-in.
   * Rejects with the same ZoomError the tree would show.
   */
  async checkCredentials(credentials: Credentials, signal?: AbortSignal): Promise<void> {
    const tokens = this.tokenSource(credentials);
    await tokens.get(signal);
    const today = todayUtc(Date.now());
    await this.clientFor(credentials, tokens).fetchPage(
      { from: today, to: today, categoryType: 'all', pageSize: 1 },
      signal,
    );
  }

  tokenSource(credentials: Credentials, maxAttempts = 3): TokenSource {
    if (credentials.kind === 'token') return new StaticTokenSource(credentials.token);
    return new ServerToServerTokenSource({
      ...credentials,
      oauthBaseUrl: this.settings.oauthBaseUrl,
      timeoutMs: this.settings.requestTimeoutSeconds * 1000,
      retry: { maxAttempts, backoffBaseMs: 500, backoffCapMs: 5000, random: Math.random, clock: realClock },
      logger: this.logger,
    });
  }

  /**
   * "Zoom: Check Setup" with the stored credentials: at most two requests (a fresh OAuth
   * token, one one-entry page), each tried once, no replay, so the count is what it says.
   */
  async checkSetup(signal?: AbortSignal): Promise<SetupReport> {
    const s = this.settings;
    return setupCore().checkSetup({
      credentials: await this.credentials.get(),
      tokenSource: (c) => this.tokenSource(c, 1),
      client: (_c, tokens) =>
        new ZoomClient({
          apiBaseUrl: apiBaseOverride(s.apiBaseUrl),
          tokens,
          limiter: this.limiter,
          timeoutMs: s.requestTimeoutSeconds * 1000,
          logger: this.logger,
          maxAttempts: 1,
          reauthenticate: false,
        }),
      apiBaseOverride: apiBaseOverride(s.apiBaseUrl),
      maxRequestsPerSecond: s.maxRequestsPerSecond,
      today: todayUtc(Date.now()),
      signal,
    });
  }
}

/** The API base URL setting as a client option: undefined at its default, so a token's api_url can be used. */
export function apiBaseOverride(setting: string | undefined): string | undefined {
  const v = setting?.trim().replace(/\/+$/, '');
  return !v || v === DEFAULT_API_BASE_URL ? undefined : v;
}
