/**
 * Where the proxy's bearer token comes from: an environment variable, a file, a command, the
 * OAuth device-code flow against an OpenID provider, or GitHub Actions' OIDC token service, all
 * behind {@link dev.clusterconnect.proxy.token.TokenSource}, cached ahead of expiry by
 * {@link dev.clusterconnect.proxy.token.CachingTokenSource}. No class here logs or prints a token.
 */
package dev.clusterconnect.proxy.token;
