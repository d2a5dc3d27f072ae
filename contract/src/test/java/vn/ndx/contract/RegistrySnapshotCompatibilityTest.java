package vn.ndx.contract;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot written before a field existed still reads, the field at its safe default: the data plane must
 * apply the registry's last snapshot after an upgrade, before the registry publishes a new one.
 */
class RegistrySnapshotCompatibilityTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void a_snapshot_from_before_personal_data_purposes_and_the_citizen_portal_reads_with_none_of_them() {
        String older = """
                {"version":7,"publishedAt":"2026-11-01T00:00:00Z","agencies":[],"systems":[],
                 "services":[{"agencyCode":"000.00.18.G12","systemCode":"tax-registry","code":"business-tax-status","kind":"QUERY",
                   "upstreamUrl":"https://tax.example/api","timeout":"PT5S","maxBodyBytes":1000}],
                 "grants":[{"consumerAgency":"000.00.00.H29","consumerSystem":"one-stop-portal","providerAgency":"000.00.18.G12",
                   "providerSystem":"tax-registry","service":"business-tax-status","methods":["GET"],"paths":[]}],
                 "clients":[],"signingKeys":"{\\"keys\\":[]}",
                 "operators":[{"clientId":"platform-operator","enabled":true,"platformAdmin":false}]}""";

        RegistrySnapshot snapshot = JSON.readValue(older, RegistrySnapshot.class);

        assertThat(snapshot.services().get(0).personalData()).isFalse();
        assertThat(snapshot.grants().get(0).purposes()).isEmpty();
        assertThat(snapshot.operators().get(0).citizenPortal()).isFalse();
        assertThat(snapshot.operators().get(0).role()).isEqualTo(RegistrySnapshot.Operator.READ_ONLY);
    }
}
