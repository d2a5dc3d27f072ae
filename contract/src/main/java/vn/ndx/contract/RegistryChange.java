package vn.ndx.contract;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One administrative change of the registry, kept by audit: who did what to which entity, when, and the
 * registry version it produced. Carries no secret.
 *
 * @param actor     the administrator's client id
 * @param action    e.g. {@code agency.created}, {@code grant.revoked}, {@code client.secret-rotated}
 * @param entity    the entity's key, e.g. {@code 000.00.00.H29/one-stop-portal}
 * @param agency    the agency whose subtree the change concerns, for scoping and statistics
 */
public record RegistryChange(String changeId, Instant at, String actor, String action, String entity,
                             @Nullable String agency, long version) {
}
