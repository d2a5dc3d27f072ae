package vn.ndx.contract;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Registry documents written before a field existed still read, the field taking its old meaning. */
class RegistrySnapshotTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void a_service_written_before_personal_data_was_flagged_reads_as_carrying_none() {
        var service = JSON.readValue("{\"agencyCode\":\"000.00.00.H41\",\"systemCode\":\"one-stop-portal\",\"code\":\"business-registration\","
                + "\"kind\":\"CHANNEL\",\"upstreamUrl\":null,\"timeout\":null,\"maxBodyBytes\":1048576}", RegistrySnapshot.Service.class);

        assertThat(service.personalData()).isFalse();
        assertThat(JSON.readValue("{\"agencyCode\":\"000.00.18.G12\",\"systemCode\":\"tax-registry\",\"code\":\"business-tax-status\","
                + "\"kind\":\"QUERY\",\"maxBodyBytes\":1,\"personalData\":true}", RegistrySnapshot.Service.class).personalData()).isTrue();
    }

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
