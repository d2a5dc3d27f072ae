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
}
