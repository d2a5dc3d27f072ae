package vn.ndx.registry.admin;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.model.RegistryData.StoredGrant;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.store.RegistryStore;

/**
 * Who may use which service. A grant is given, and revoked, by the administrators of the providing
 * agency: the provider decides who reads its data. Revocation is immediate; the grant stays, marked
 * revoked, for the record.
 */
@RestController
@RequestMapping("/admin/grants")
class GrantAdmin {

    private final RegistryStore store;
    private final AdminAuthentication admins;

    GrantAdmin(RegistryStore store, AdminAuthentication admins) {
        this.store = store;
        this.admins = admins;
    }

    record NewGrant(@NotBlank String consumerAgency, @NotBlank String consumerSystem, @NotBlank String providerAgency,
                    @NotBlank String providerSystem, @NotBlank String service, @Nullable Instant validFrom,
                    @Nullable Instant validUntil, @NotBlank @Size(max = 500) String reason,
                    @Nullable @Size(max = GrantRules.MAX_METHODS) List<@Pattern(regexp = GrantRules.METHOD,
                            message = GrantRules.METHOD_MESSAGE) String> methods,
                    @Nullable @Size(max = GrantRules.MAX_PATHS) List<@Pattern(regexp = GrantRules.PATH,
                            message = GrantRules.PATH_MESSAGE) String> paths,
                    @Nullable @Size(max = 10) List<@Pattern(regexp = GrantRules.PURPOSE,
                            message = GrantRules.PURPOSE_MESSAGE) String> purposes) {
    }

    @GetMapping
    Page<StoredGrant> list(@RequestParam(required = false) @Nullable String agency,
                           @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                           HttpServletRequest request) {
        Administrator admin = admins.of(request);
        return Page.of(store.current().grants().stream()
                .filter(g -> admin.mayManage(g.providerAgency()) || admin.mayManage(g.consumerAgency()))
                .filter(g -> agency == null || agency.equals(g.providerAgency()) || agency.equals(g.consumerAgency()))
                .toList(), page, size);
    }

    @PostMapping
    ResponseEntity<StoredGrant> grant(@Valid @RequestBody NewGrant body, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(body.providerAgency());
        if (body.validFrom() != null && body.validUntil() != null && !body.validUntil().isAfter(body.validFrom())) {
            throw ProblemException.invalid("validUntil", "must be after validFrom");
        }
        var pathProblems = GrantPaths.problems("paths", body.paths() == null ? List.of() : body.paths());
        if (!pathProblems.isEmpty()) {
            throw ProblemException.invalid(pathProblems);
        }
        var grant = new StoredGrant(UUID.randomUUID().toString(), body.consumerAgency(), body.consumerSystem(),
                body.providerAgency(), body.providerSystem(), body.service(), body.validFrom(), body.validUntil(),
                admin.clientId(), body.reason(), null, body.methods() == null ? List.of() : body.methods(),
                body.paths() == null ? List.of() : body.paths(), body.purposes() == null ? List.of() : body.purposes().stream().distinct().toList());
        store.change(admin.clientId(), "grant.created", grant.id(), grant.providerAgency(), data -> {
            if (data.system(body.consumerAgency(), body.consumerSystem()).isEmpty()) {
                throw ProblemException.invalid("consumerSystem", "is not a registered system of " + body.consumerAgency());
            }
            var service = data.service(body.providerAgency(), body.providerSystem(), body.service()).orElseThrow(() ->
                    ProblemException.invalid("service", "is not a registered service of " + body.providerAgency() + "/" + body.providerSystem()));
            if (service.personalData() && grant.purposes().isEmpty()) {
                throw ProblemException.invalid("purposes", "must name at least one purpose: the service carries personal data");
            }
            return data.withGrants(Existing.append(data.grants(), grant));
        });
        return ResponseEntity.created(URI.create("/admin/grants/" + grant.id())).body(grant);
    }

    @DeleteMapping("/{id}")
    StoredGrant revoke(@PathVariable String id, HttpServletRequest request) {
        Administrator admin = admins.of(request);
        StoredGrant grant = store.current().grant(id).orElseThrow(() -> ProblemException.notFound("grant " + id));
        admin.requireScope(grant.providerAgency());
        if (grant.revokedAt() != null) {
            return grant;
        }
        var revoked = grant.revoked(Instant.now());
        store.change(admin.clientId(), "grant.revoked", id, grant.providerAgency(), data ->
                data.withGrants(data.grants().stream().map(g -> g.id().equals(id) ? revoked : g).toList()));
        return revoked;
    }
}
