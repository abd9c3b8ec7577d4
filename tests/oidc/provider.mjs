// A real OpenID Connect provider (the certified `oidc-provider`) for tests/test_signin.py, on loopback only.
// node provider.mjs PORT REDIRECT_URI CLIENT_SECRET: one confidential client "workshop" with that redirect URI; the
// development login form accepts any login name (and any password) and asks for consent.
import Provider from "oidc-provider";

const [port, redirectUri, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "workshop",
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { methods: ["S256"], required: () => true },
  features: { devInteractions: { enabled: true } },
  findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  cookies: { keys: ["test-only-cookie-key"] },
});
provider.on("server_error", (ctx, error) => console.error("server_error", error));
provider.listen(Number(port), "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
