package vn.ndx.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a registry snapshot entry by entry, as gateway and exchange apply it: an entry this reader cannot
 * use (a field it does not know how to read, a kind from a newer registry) is skipped and reported, and
 * every other entry applies. One bad entry must never keep a reader on an old view, where a grant given
 * later would never take effect and a revocation never arrive.
 */
public final class RegistrySnapshotReader {

    /** Told of every entry a reader skipped: its kind (bounded: agency, system, service, ...) and why. */
    @FunctionalInterface
    public interface Rejections {
        void reject(String kind, String entry, String reason);
    }

    /** Every kind of entry a reader may leave out: what its metrics are labelled with. */
    public static final List<String> KINDS = List.of("agency", "system", "service", "grant", "client", "operator", "signing-key",
            "egress");

    private final JsonMapper json;

    public RegistrySnapshotReader(JsonMapper json) {
        this.json = json;
    }

    /**
     * The snapshot with every entry that could be read.
     *
     * @throws IllegalArgumentException when the snapshot itself (its version, time or signing keys) cannot be
     *                                  read: then nothing of it may apply
     */
    public RegistrySnapshot read(byte[] value, Rejections rejections) {
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        JsonNode version = root.get("version");
        JsonNode publishedAt = root.get("publishedAt");
        JsonNode signingKeys = root.get("signingKeys");
        if (version == null || !version.isIntegralNumber() || publishedAt == null || !publishedAt.isString()
                || signingKeys == null || !signingKeys.isString()) {
            throw new IllegalArgumentException("no version, publishedAt or signingKeys");
        }
        Instant published;
        try {
            published = Instant.parse(publishedAt.asString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable publishedAt", e);
        }
        return new RegistrySnapshot(version.asLong(), published,
                entries(root, "agencies", "agency", RegistrySnapshot.Agency.class, rejections),
                entries(root, "systems", "system", RegistrySnapshot.InformationSystem.class, rejections),
                entries(root, "services", "service", RegistrySnapshot.Service.class, rejections),
                entries(root, "grants", "grant", RegistrySnapshot.Grant.class, rejections),
                entries(root, "clients", "client", RegistrySnapshot.Client.class, rejections),
                signingKeys.asString(),
                entries(root, "operators", "operator", RegistrySnapshot.Operator.class, rejections),
                entries(root, "egress", "egress", RegistrySnapshot.Egress.class, rejections));
    }

    private <T> List<T> entries(JsonNode root, String field, String kind, Class<T> type, Rejections rejections) {
        JsonNode list = root.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            rejections.reject(kind, field, "not a list");
            return List.of();
        }
        var read = new ArrayList<T>(list.size());
        for (int i = 0; i < list.size(); i++) {
            try {
                T entry = json.treeToValue(list.get(i), type);
                if (entry == null) {
                    throw new IllegalArgumentException("null");
                }
                read.add(entry);
            } catch (RuntimeException e) {
                rejections.reject(kind, field + "[" + i + "]", e.getClass().getSimpleName());
            }
        }
        return read;
    }
}
