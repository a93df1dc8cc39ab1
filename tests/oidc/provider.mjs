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
    acr: null,
  },
  acrValues: [LOA3, SUBSTANTIAL],
  features: { devInteractions: { enabled: true } },
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
// The acr of the login: the account's own (so a test can log in below the level asked for).
provider.on("authorization.success", () => {});
provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
