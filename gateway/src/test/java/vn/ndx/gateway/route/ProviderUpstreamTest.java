package vn.ndx.gateway.route;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import vn.ndx.contract.RegistrySnapshot.Service;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderUpstreamTest {

    static Service service(String upstreamUrl) {
        return new Service("000.00.18.G12", "tax-registry", "business-tax-status", Service.Kind.QUERY,
                upstreamUrl, Duration.ofSeconds(5), 1_000);
    }

    @Test
    void path_after_the_service_and_the_query_string_follow_the_upstream_base() {
        assertThat(ProviderUpstreamGatewayFilterFactory.upstream(service("http://tax.example:8090/api/v1"),
                "/query/000.00.18.G12/tax-registry/business-tax-status/business/0301234567", "lang=vi&x=%20"))
                .hasToString("http://tax.example:8090/api/v1/business/0301234567?lang=vi&x=%20");
    }

    @Test
    void a_trailing_slash_on_the_base_does_not_double() {
        assertThat(ProviderUpstreamGatewayFilterFactory.upstream(service("http://tax.example/"),
                "/query/a/b/c/d", null)).hasToString("http://tax.example/d");
    }

    @Test
    void a_call_to_the_service_root_goes_to_the_base() {
        assertThat(ProviderUpstreamGatewayFilterFactory.upstream(service("http://tax.example/root"),
                "/query/a/b/c", null)).hasToString("http://tax.example/root");
    }

    @Test
    void encoded_characters_stay_encoded() {
        assertThat(ProviderUpstreamGatewayFilterFactory.upstream(service("http://tax.example"),
                "/query/a/b/c/name/C%C3%B4ng%20ty", null)).hasToString("http://tax.example/name/C%C3%B4ng%20ty");
    }
}
