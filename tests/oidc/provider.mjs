// A real OpenID Provider for the tests (npm oidc-provider, pinned in package.json), configured
// like a Swedish e-ID provider under the oidc.se profile: the personal identity number in
// https://id.oidc.se/claim/personalIdentityNumber (scope https://id.oidc.se/scope/naturalPersonNumber),
// an `acr` per login, PKCE required. Started by tests/oidc/conftest.py with its settings in the
// environment; it prints "ready <issuer>" on stdout when it listens.
//
// OIDC_PORT      the port on 127.0.0.1
// OIDC_CLIENTS   JSON list of clients: {client_id, client_secret, redirect_uris}
// OIDC_ACCOUNTS  JSON object: login name -> {personalIdentityNumber, given_name, family_name, acr}
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS || "{}");
const PNR = "https://id.oidc.se/claim/personalIdentityNumber";
const PNR_SCOPE = "https://id.oidc.se/scope/naturalPersonNumber";
const LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3";
const SUBSTANTIAL = "http://id.elegnamnden.se/loa/1.0/eidas-sub";

const clients = JSON.parse(process.env.OIDC_CLIENTS || "[]").map((c) => ({
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
  ...c,
}));

const configuration = {
  clients,
  pkce: { required: () => true },
  scopes: ["openid", "profile", PNR_SCOPE],
  claims: {
    openid: ["sub"],
    profile: ["name", "given_name", "family_name"],
    [PNR_SCOPE]: [PNR, "name", "given_name", "family_name"],
  },
  acrValues: [LOA3, SUBSTANTIAL],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // Every claim in the ID token (the oidc.se profile delivers the identity there).
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          [PNR]: account.personalIdentityNumber,
          given_name: account.given_name,
          family_name: account.family_name,
          name: `${account.given_name} ${account.family_name}`,
        };
      },
    };
  },
  cookies: { keys: ["samordna-tests-only"] },
};

const provider = new Provider(issuer, configuration);

// The provider's own login page, as an e-ID provider has one: a login name (any password) signs
// that account in at the account's level (`acr`, LoA 3 unless the account says otherwise, so a
// test can log in below the level asked for); consent is given with the login.
const page = (uid, error = "") => `<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Testleverantör av e-legitimation</title></head><body><main>
<h1>Logga in med e-legitimation (test)</h1>${error ? `<p role="alert">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}/login">
<label for="login">Användarnamn</label> <input id="login" name="login" autocomplete="username" autofocus>
<label for="password">Lösenord</label> <input id="password" name="password" type="password">
<button type="submit">Logga in</button></form></main></body></html>`;

const readForm = (req) => new Promise((resolve) => {
  let data = "";
  req.on("data", (chunk) => { data += chunk; });
  req.on("end", () => resolve(new URLSearchParams(data)));
});

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === "GET") {
    ctx.type = "html";
    ctx.body = page(details.uid);
    return undefined;
  }
  const form = await readForm(ctx.req);
  const login = form.get("login") || "";
  const account = accounts[login];
  if (!account) {
    ctx.type = "html";
    ctx.body = page(details.uid, "Okänt användarnamn.");
    return undefined;
  }
  const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(ctx.req, ctx.res, {
    login: { accountId: login, acr: account.acr || LOA3 },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
  return undefined;
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
