package vn.ndx.registry.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.contract.RegistrySnapshot.Service;
import vn.ndx.contract.ServiceAddress;
import vn.ndx.registry.admin.AdminAuthentication;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.store.RegistryStore;

/**
 * {@code GET /catalogue/services?agency=&q=&kind=}: the services in use on the platform, for any
 * authenticated system or administrator, so an agency finds the data it needs before asking for a grant.
 * Only assessed services are listed; upstream addresses are not (they are the platform's business).
 */
@RestController
class CatalogueController {

    private static final int MAX_PAGE = 200;

    private final RegistryStore store;
    private final AdminAuthentication clients;

    CatalogueController(RegistryStore store, AdminAuthentication clients) {
        this.store = store;
        this.clients = clients;
    }

    record Entry(String agency, String agencyName, String system, String systemName, String service, Service.Kind kind,
                 @Nullable Duration timeout, long maxBodyBytes, String address, boolean documented) {
    }

    record Page(List<Entry> items, int page, int size, long total) {
    }

    @GetMapping("/catalogue/services")
    Page services(@RequestParam(required = false) @Nullable String agency, @RequestParam(required = false) @Nullable String q,
                  @RequestParam(required = false) Service.@Nullable Kind kind,
                  @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                  HttpServletRequest request) {
        clients.client(request);
        if (page < 0 || size < 1 || size > MAX_PAGE) {
            throw new ProblemException(ProblemCode.BAD_REQUEST, "page must be 0 or more, size 1 to " + MAX_PAGE);
        }
        RegistryData data = store.current();
        Map<String, Agency> agencies = data.agencies().stream().collect(Collectors.toMap(Agency::code, Function.identity()));
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        List<Entry> matches = data.services().stream()
                .filter(data::live)
                .filter(s -> agency == null || s.agencyCode().equals(agency))
                .filter(s -> kind == null || s.kind() == kind)
                .map(s -> entry(data, agencies, s))
                .filter(e -> needle == null || (e.service() + " " + e.systemName() + " " + e.agencyName() + " " + e.system())
                        .toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        int from = (int) Math.min((long) page * size, matches.size());
        return new Page(matches.subList(from, Math.min(from + size, matches.size())), page, size, matches.size());
    }

    /** An agency by its code and name, with its information systems: what a reader shows beside a code. */
    record Named(String code, String name, List<NamedSystem> systems) {
    }

    record NamedSystem(String code, String name) {
    }

    /**
     * {@code GET /catalogue/agencies}: every agency's name and its systems' names, for people reading codes
     * (the operators' console, an agency looking for a partner). Names only: nothing here is a secret.
     */
    @GetMapping("/catalogue/agencies")
    List<Named> agencies(HttpServletRequest request) {
        clients.client(request);
        RegistryData data = store.current();
        Map<String, List<NamedSystem>> systems = data.systems().stream().collect(Collectors.groupingBy(
                vn.ndx.contract.RegistrySnapshot.InformationSystem::agencyCode,
                Collectors.mapping(s -> new NamedSystem(s.code(), s.name()), Collectors.toList())));
        return data.agencies().stream().map(a -> new Named(a.code(), a.name(), systems.getOrDefault(a.code(), List.of()))).toList();
    }

    @GetMapping(path = "/catalogue/services/{agency}/{system}/{service}/openapi", produces = "application/json")
    String openApi(@PathVariable String agency, @PathVariable String system, @PathVariable String service,
                   HttpServletRequest request) {
        clients.client(request);
        RegistryData data = store.current();
        return data.service(agency, system, service).filter(data::live)
                .flatMap(s -> data.document(agency, system, service))
                .map(RegistryData.ServiceDocument::openApi)
                .orElseThrow(() -> ProblemException.notFound("OpenAPI document for " + new ServiceAddress(agency, system, service)));
    }

    private static Entry entry(RegistryData data, Map<String, Agency> agencies, Service s) {
        Agency agency = agencies.get(s.agencyCode());
        String systemName = data.system(s.agencyCode(), s.systemCode()).map(system -> system.name()).orElse(s.systemCode());
        String address = (s.kind() == Service.Kind.QUERY ? "/query/" : "/records/") + s.address();
        return new Entry(s.agencyCode(), agency == null ? s.agencyCode() : agency.name(), s.systemCode(), systemName, s.code(),
                s.kind(), s.timeout(), s.maxBodyBytes(), address, data.document(s.agencyCode(), s.systemCode(), s.code()).isPresent());
    }
}
