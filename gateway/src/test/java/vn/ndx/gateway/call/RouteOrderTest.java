package vn.ndx.gateway.call;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filters' order contract ({@link Call#FILTER_ORDER}) holds on every route application.yml declares. */
class RouteOrderTest {

    @Test
    @SuppressWarnings("unchecked")
    void every_route_lists_its_filters_in_the_order_each_reads_what_an_earlier_one_set() throws Exception {
        Map<String, Object> config;
        try (InputStream yaml = getClass().getResourceAsStream("/application.yml")) {
            config = new Yaml().load(yaml);
        }
        var routes = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) config.get("spring")).get("cloud")).get("gateway")).get("server")).get("webflux")).get("routes");
        assertThat(routes).hasSizeGreaterThan(5);
        for (Map<String, Object> route : routes) {
            var names = new ArrayList<String>();
            for (Object filter : (List<Object>) route.getOrDefault("filters", List.of())) {
                String name = filter.toString().split("=", 2)[0];
                if (Call.FILTER_ORDER.contains(name)) {
                    names.add(name);
                }
            }
            List<String> ordered = names.stream().sorted((a, b) -> Call.FILTER_ORDER.indexOf(a) - Call.FILTER_ORDER.indexOf(b)).toList();
            assertThat(names).as("route " + route.get("id")).isEqualTo(ordered);
            if (names.stream().anyMatch(name -> !name.equals("TransactionEvent"))) {
                assertThat(names).as("route " + route.get("id") + " reads a caller").contains("Authenticate");
            }
            if (names.contains("ProviderUpstream")) {
                assertThat(names).as("route " + route.get("id") + " forwards to the service granted").contains("GrantCheck", "ClientLimit");
            }
        }
    }

    @Test
    void a_filter_reading_what_no_earlier_filter_set_names_the_filter_its_route_lacks() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/query/x"));
        assertThatThrownBy(() -> Call.caller(exchange)).hasMessageContaining("Authenticate filter");
        assertThatThrownBy(() -> Call.limits(exchange)).hasMessageContaining("ClientLimit filter");
        assertThatThrownBy(() -> Call.service(exchange)).hasMessageContaining("GrantCheck filter");
        assertThat(Call.callerIfAny(exchange)).isNull();
    }
}
