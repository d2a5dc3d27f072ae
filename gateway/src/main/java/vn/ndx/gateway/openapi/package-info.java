/** The platform's own OpenAPI document, served to integrators without a token. */
@NullMarked
package vn.ndx.gateway.openapi;

import org.jspecify.annotations.NullMarked;
