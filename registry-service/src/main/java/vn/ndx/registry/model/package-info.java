/**
 * The registry's model: the whole registry as one immutable document, replaced by each change. No Spring
 * here: rules such as agency codes and administrative scope are plain Java, tested as such.
 */
@NullMarked
package vn.ndx.registry.model;

import org.jspecify.annotations.NullMarked;
