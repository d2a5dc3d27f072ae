package vn.ndx.registry.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.EgressRules;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.Agency;
import vn.ndx.registry.RegistryProperties;
import vn.ndx.contract.AgencyCode;
import vn.ndx.registry.model.AccessRequest;
import vn.ndx.registry.model.RegistryData.StoredClient;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.store.RegistryStore;

/**
 * The whole registry as one document, for backups, for moving a registry between environments, and for
 * loading a prepared one (the demo registry is such a document). Secrets never leave: an exported
 * client has none, an imported client keeps the secrets it already has here, and a new one gets its
 * first secret by rotation.
 */
@RestController
class ExportAdmin {

    private final RegistryStore store;
    private final AdminAuthentication admins;
    private final Set<Character> groupLetters;

    ExportAdmin(RegistryStore store, AdminAuthentication admins, RegistryProperties properties) {
        this.store = store;
        this.admins = admins;
        this.groupLetters = properties.agencyGroups().chars().mapToObj(c -> (char) c).collect(Collectors.toSet());
    }

    @GetMapping("/admin/export")
    RegistryData export(HttpServletRequest request) {
        admins.of(request).requirePlatform();
        RegistryData data = store.current();
        return data.withClients(data.clients().stream().map(ExportAdmin::withoutSecrets).toList());
    }

    @PostMapping("/admin/import")
    Map<String, Object> load(@RequestBody RegistryData document, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requirePlatform();
        List<String> problems = check(document);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid("document", String.join("; ", problems.subList(0, Math.min(20, problems.size()))));
        }
        RegistryData stored = store.change(admin.clientId(), "registry.imported", "registry", null, data -> {
            List<StoredClient> clients = document.clients().stream().map(client -> data.client(client.clientId())
                    .map(existing -> client.withSecrets(existing.secrets()))
                    .orElseGet(() -> withoutSecrets(client))).toList();
            return document.withClients(clients);
        });
        return Map.of("version", stored.version(), "agencies", stored.agencies().size(), "systems", stored.systems().size(),
                "services", stored.services().size(), "grants", stored.grants().size(), "clients", stored.clients().size(),
                "accessRequests", stored.accessRequests().size());
    }

    /** Every reference in the document points at something in it; every code is valid. */
    private List<String> check(RegistryData document) {
        var problems = new ArrayList<String>();
        Set<String> agencies = new HashSet<>();
        for (Agency agency : document.agencies()) {
            AgencyCode.problem(agency.code(), groupLetters).ifPresent(p -> problems.add("agency " + agency.code() + ": " + p));
            if (!agencies.add(agency.code())) {
                problems.add("agency " + agency.code() + " twice");
            }
        }
        for (Agency agency : document.agencies()) {
            Optional<String> parent = AgencyCode.problem(agency.code(), groupLetters).isPresent() ? Optional.empty() : AgencyCode.parent(agency.code());
            parent.filter(p -> !agencies.contains(p)).ifPresent(p -> problems.add("agency " + agency.code() + ": parent " + p + " missing"));
        }
        document.systems().stream().filter(s -> !agencies.contains(s.agencyCode()))
                .forEach(s -> problems.add("system " + s.code() + ": agency " + s.agencyCode() + " missing"));
        document.services().stream().filter(s -> document.system(s.agencyCode(), s.systemCode()).isEmpty())
                .forEach(s -> problems.add("service " + s.code() + ": system " + s.agencyCode() + "/" + s.systemCode() + " missing"));
        document.grants().stream().filter(g -> document.service(g.providerAgency(), g.providerSystem(), g.service()).isEmpty()
                        || document.system(g.consumerAgency(), g.consumerSystem()).isEmpty())
                .forEach(g -> problems.add("grant " + g.id() + ": its consumer system or service is missing"));
        document.services().stream().filter(s -> s.upstreamUrl() != null).forEach(s -> EgressRules.problem(s.upstreamUrl(),
                document.egressOf(s.agencyCode())).ifPresent(problem -> problems.add("service " + s.agencyCode() + "/" + s.systemCode()
                + "/" + s.code() + " upstreamUrl " + problem)));
        document.grants().forEach(g -> GrantPaths.problems("paths", g.paths())
                .forEach((field, problem) -> problems.add("grant " + g.id() + " " + field + ": " + problem)));
        document.clients().stream().filter(c -> c.systemCode() != null && c.agencyCode() != null
                        && document.system(c.agencyCode(), c.systemCode()).isEmpty())
                .forEach(c -> problems.add("client " + c.clientId() + ": system missing"));
        Set<String> requests = new HashSet<>();
        for (AccessRequest accessRequest : document.accessRequests()) {
            if (!requests.add(accessRequest.id())) {
                problems.add("access request " + accessRequest.id() + " twice");
            }
            if (accessRequest.state() == AccessRequest.State.APPROVED
                    && (accessRequest.grantId() == null || document.grant(accessRequest.grantId()).isEmpty())) {
                problems.add("access request " + accessRequest.id() + ": approved, but the grant it created is missing");
            }
        }
        if (document.clients().stream().noneMatch(c -> c.roles().contains(StoredClient.PLATFORM_ADMIN) && c.enabled())) {
            problems.add("no enabled platform administrator: nobody could administer the registry after the import");
        }
        return problems;
    }

    private static StoredClient withoutSecrets(StoredClient client) {
        return client.withSecrets(List.of());
    }

}
