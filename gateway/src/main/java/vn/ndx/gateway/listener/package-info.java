/**
 * Where the gateway listens: HTTPS on its server port (Boot's SSL bundle {@code gateway}), and for local
 * demos only a plain HTTP port on loopback, which production turns off.
 */
@NullMarked
package vn.ndx.gateway.listener;

import org.jspecify.annotations.NullMarked;
