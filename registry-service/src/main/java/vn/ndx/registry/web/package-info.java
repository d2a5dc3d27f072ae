/** What every request to the registry passes through before a controller sees it. */
@NullMarked
package vn.ndx.registry.web;

import org.jspecify.annotations.NullMarked;
