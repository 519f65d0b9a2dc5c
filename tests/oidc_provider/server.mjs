// A real OpenID provider for the tests: panva's node-oidc-provider (OpenID certified),
// configured as ProConnect presents itself to a service (docs.proconnect.gouv.fr,
// "Implémentation technique"): the discovery document under /api/v2, the
// authorization code flow with state and nonce, claims by scope (email, given_name,
// usual_name, siret, uid; idp_id always), a userinfo answered as a signed JWT
// (application/jwt), ID tokens signed with RS256 and checked against the JWKS, acr
// values, and RP-initiated logout with id_token_hint and post_logout_redirect_uri.
//
// What ProConnect asks of a person (choosing an identity provider, signing in there) is
// one form here: the tests' accounts are read from OIDC_ACCOUNTS (a JSON file mapping a
// login to its password and claims) at each sign-in, so that a test adds its own.
//
// Environment: OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
// OIDC_POST_LOGOUT_REDIRECT_URIS (JSON lists), OIDC_ACCOUNTS. Started by
// tests/oidc.py; prints "ready <issuer>" once it listens.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const PREFIX = '/api/v2';
const port = Number(env('OIDC_PORT'));
const issuer = `http://127.0.0.1:${port}${PREFIX}`;
const accountsFile = env('OIDC_ACCOUNTS');

const accounts = () => JSON.parse(readFileSync(accountsFile, 'utf8'));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig',
};

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

// node-oidc-provider asks for a new login until an essential acr is met; here the
// login gives the account's own acr, and the service decides.
function acrAsTheAccountHasIt() {
  const policy = interactionPolicy.base();
  policy.get('login').checks.remove('essential_acrs');
  policy.get('login').checks.remove('essential_acr');
  return policy;
}

const configuration = {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    redirect_uris: JSON.parse(env('OIDC_REDIRECT_URIS')),
    post_logout_redirect_uris: JSON.parse(env('OIDC_POST_LOGOUT_REDIRECT_URIS')),
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'siret', 'uid'],
  claims: {
    openid: ['sub', 'idp_id'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    siret: ['siret'],
    uid: ['uid'],
  },
  // ProConnect's levels (« Niveaux d'assurance et utilisation de l'ACR »). A login's acr
  // is its account's (OIDC_ACCOUNTS), whatever the service asked for: as in the
  // federation, whose identity providers do not all give two factors, the service has
  // to check the acr it gets back (« Forcer la double authentification »).
  acrValues: [
    'eidas1', 'eidas2', 'eidas3',
    'https://proconnect.gouv.fr/assurance/self-asserted-2fa',
    'https://proconnect.gouv.fr/assurance/consistency-checked-2fa',
  ],
  pkce: { required: () => false }, // ProConnect refuses parameters it does not list
  ttl: { AuthorizationCode: 30, AccessToken: 60 },
  routes: {
    authorization: '/authorize',
    token: '/token',
    userinfo: '/userinfo',
    jwks: '/jwks',
    end_session: '/session/end',
  },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    claimsParameter: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Se déconnecter de ProConnect', `${form}
          <button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Déconnecté de ProConnect', '');
      },
    },
  },
  interactions: {
    policy: acrAsTheAccountHasIt(),
    url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}`,
  },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const { password, ...claims } = account;
        return { sub: id, ...claims };
      },
    };
  },
  // ProConnect asks no consent of its own: every scope the service asks is granted.
  async loadExistingGrant(ctx) {
    const { client, session, params } = ctx.oidc;
    const existing = session.grantIdFor(client.clientId);
    const grant = existing
      ? await ctx.oidc.provider.Grant.find(existing)
      : new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(String(params.scope));
    await grant.save();
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Erreur du fournisseur', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
};

const provider = new Provider(issuer, configuration);
const callback = provider.callback();

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

const loginForm = (uid, error = '') => page('Connexion au fournisseur d\'identité de test', `
  ${error ? `<p role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="${PREFIX}/interaction/${uid}/login">
    <label for="login">Adresse électronique</label>
    <input id="login" name="login" type="text" autocomplete="off" required>
    <label for="password">Mot de passe</label>
    <input id="password" name="password" type="password" required>
    <button type="submit">Se connecter</button>
  </form>
  <form method="post" action="${PREFIX}/interaction/${uid}/abort">
    <button type="submit">Annuler</button>
  </form>`);

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (!action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginForm(uid));
    return;
  }
  const form = await readForm(req);
  if (action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const login = form.get('login');
  const account = accounts()[login];
  if (!account || account.password !== form.get('password')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginForm(uid, 'Identifiant ou mot de passe incorrect.'));
    return;
  }
  await provider.interactionFinished(req, res, {
    login: { accountId: login, acr: account.acr || 'eidas1', amr: ['pwd'] },
  }, { mergeWithLastSubmission: false });
}

const INTERACTION = new RegExp(`^${PREFIX}/interaction/([\\w-]+)(?:/(login|abort))?$`);

createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (path === '/favicon.ico') { // browsers ask for it; a 404 would be logged
    res.writeHead(204);
    res.end();
    return;
  }
  const match = INTERACTION.exec(path);
  if (match) {
    interaction(req, res, match[1], match[2]).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    });
    return;
  }
  if (req.url.startsWith(PREFIX)) {
    req.originalUrl = req.url; // as Express would, for the provider's own links
    req.url = req.url.slice(PREFIX.length) || '/';
  }
  callback(req, res);
}).listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
