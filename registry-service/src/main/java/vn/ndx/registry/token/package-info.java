/** OAuth2 client credentials: access tokens signed with the registry's key, and that key's public half. */
@NullMarked
package vn.ndx.registry.token;

import org.jspecify.annotations.NullMarked;
