package vn.ndx.registry.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;
import vn.ndx.registry.admin.Administrator;
import vn.ndx.registry.admin.GrantPaths;
import vn.ndx.registry.admin.GrantRules;
import vn.ndx.registry.admin.Page;
import vn.ndx.registry.model.AccessRequest;
import vn.ndx.registry.model.RegistryData;
import vn.ndx.registry.model.RegistryData.StoredGrant;
import vn.ndx.registry.store.RegistryStore;

/**
 * The access-request workflow on the registry: asking, deciding and withdrawing, each one registry change
 * (so audit keeps who did it), checked against the registry as it is when the change applies. An
 * administrator sees the requests its scope covers on either side; to anyone else a request does not exist.
 */
@Component
class AccessRequests {

    private final RegistryStore store;
    private final AccessRequestMeters meters;

    AccessRequests(RegistryStore store, AccessRequestMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    /** What the consumer's administrator asks for; methods and paths as on a grant. */
    record Ask(@NotBlank @Size(max = 50) String consumerAgency, @NotBlank @Size(max = 100) String consumerSystem,
               @NotBlank @Size(max = 50) String providerAgency, @NotBlank @Size(max = 100) String providerSystem,
               @NotBlank @Size(max = 100) String service,
               @NotNull @Pattern(regexp = GrantRules.PURPOSE, message = GrantRules.PURPOSE_MESSAGE) String purpose,
               @NotBlank @Size(max = 500) String legalBasis,
               @Nullable @Size(max = GrantRules.MAX_METHODS) List<@NotNull @Pattern(regexp = GrantRules.METHOD,
                       message = GrantRules.METHOD_MESSAGE) String> methods,
               @Nullable @Size(max = GrantRules.MAX_PATHS) List<@NotNull @Pattern(regexp = GrantRules.PATH,
                       message = GrantRules.PATH_MESSAGE) String> paths,
               @Nullable Instant until) {
    }

    /** The terms the provider approves: each left out is the one asked for; each given may only narrow it. */
    record Approve(@Nullable @Size(max = GrantRules.MAX_METHODS) List<@NotNull @Pattern(regexp = GrantRules.METHOD,
                           message = GrantRules.METHOD_MESSAGE) String> methods,
                   @Nullable @Size(max = GrantRules.MAX_PATHS) List<@NotNull @Pattern(regexp = GrantRules.PATH,
                           message = GrantRules.PATH_MESSAGE) String> paths,
                   @Nullable Instant until) {

        static final Approve AS_ASKED = new Approve(null, null, null);
    }

    record Refuse(@NotBlank @Size(max = 500) String reason) {
    }

    AccessRequest ask(Administrator admin, Ask ask) {
        admin.requireScope(ask.consumerAgency());
        if (admin.mayManage(ask.providerAgency())) {
            throw ProblemException.invalid("providerAgency", admin.platform()
                    ? "is within the platform you administer: give the grant yourself (POST /admin/grants), no request is needed"
                    : "is within " + admin.agency() + ", the subtree you administer: give the grant yourself (POST /admin/grants), "
                    + "no request is needed");
        }
        Instant now = Instant.now();
        List<String> methods = distinct(ask.methods());
        List<String> paths = distinct(ask.paths());
        var problems = new LinkedHashMap<>(GrantPaths.problems("paths", paths));
        if (ask.until() != null && !ask.until().isAfter(now)) {
            problems.put("until", "must be in the future");
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid(problems);
        }
        var asked = AccessRequest.pending(UUID.randomUUID().toString(), ask.consumerAgency(), ask.consumerSystem(),
                ask.providerAgency(), ask.providerSystem(), ask.service(), ask.purpose(), ask.legalBasis(), methods, paths,
                ask.until(), admin.clientId(), now);
        store.change(admin.clientId(), "access-request.created", asked.id(), asked.providerAgency(), data -> {
            if (data.system(asked.consumerAgency(), asked.consumerSystem()).isEmpty()) {
                throw ProblemException.invalid("consumerSystem", "is not a registered system of " + asked.consumerAgency());
            }
            if (data.service(asked.providerAgency(), asked.providerSystem(), asked.service()).isEmpty()) {
                throw ProblemException.invalid("service", "is not a registered service of " + asked.providerAgency() + "/"
                        + asked.providerSystem());
            }
            data.accessRequests().stream().filter(AccessRequest::pending).filter(asked::sameAccessAs).findFirst()
                    .ifPresent(waiting -> {
                        throw ProblemException.conflict("Access request " + waiting.id() + " of " + asked.consumerAgency() + "/"
                                + asked.consumerSystem() + " for this service is still waiting for the provider's decision: "
                                + "withdraw it to ask again otherwise");
                    });
            return data.withAccessRequests(appended(data.accessRequests(), asked));
        });
        return asked;
    }

    /** Every request, for the operators' summary. */
    List<AccessRequest> all() {
        return store.current().accessRequests();
    }

    Page<AccessRequest> visible(Administrator admin, AccessRequest.@Nullable State state, int page, int size) {
        return Page.of(store.current().accessRequests().stream().filter(request -> sees(admin, request))
                .filter(request -> state == null || request.state() == state).toList(), page, size);
    }

    /** The request, if the administrator may see it; to one who may not, it does not exist. */
    AccessRequest visible(Administrator admin, String id) {
        return store.current().accessRequest(id).filter(request -> sees(admin, request))
                .orElseThrow(() -> ProblemException.notFound("access request " + id));
    }

    /** Approves in one change: the request is decided and its grant given together, or neither. */
    AccessRequest approve(Administrator admin, String id, Approve terms) {
        AccessRequest seen = visible(admin, id);
        requireProviderSide(admin, seen);
        List<String> methods = distinct(terms.methods());
        List<String> paths = distinct(terms.paths());
        var pathProblems = GrantPaths.problems("paths", paths);
        if (!pathProblems.isEmpty()) {
            throw ProblemException.invalid(pathProblems);
        }
        Instant now = Instant.now();
        String grantId = UUID.randomUUID().toString();
        RegistryData after = store.change(admin.clientId(), "access-request.approved", id, seen.providerAgency(), data -> {
            AccessRequest pending = pendingIn(data, id);
            var widening = pending.wideningOf(methods, paths, terms.until());
            if (!widening.isEmpty()) {
                throw ProblemException.invalid(widening);
            }
            Instant until = terms.until() != null ? terms.until() : pending.until();
            if (until != null && !until.isAfter(now)) {
                throw ProblemException.invalid("until", terms.until() == null
                        ? "the access asked for ended at " + until + ": refuse the request, and the consumer may ask again"
                        : "must be in the future");
            }
            if (data.service(pending.providerAgency(), pending.providerSystem(), pending.service()).isEmpty()
                    || data.system(pending.consumerAgency(), pending.consumerSystem()).isEmpty()) {
                throw ProblemException.conflict("The service or the consumer system of access request " + id
                        + " is no longer registered: refuse it");
            }
            var grant = new StoredGrant(grantId, pending.consumerAgency(), pending.consumerSystem(), pending.providerAgency(),
                    pending.providerSystem(), pending.service(), null, until, admin.clientId(),
                    "Access request " + id + ": " + pending.legalBasis(), null,
                    methods.isEmpty() ? pending.methods() : methods, paths.isEmpty() ? pending.paths() : paths,
                    List.of(pending.purpose()));
            return data.withGrants(appended(data.grants(), grant))
                    .withAccessRequests(replaced(data.accessRequests(), pending.approved(admin.clientId(), now, grantId)));
        });
        return decided(after, id);
    }

    AccessRequest refuse(Administrator admin, String id, Refuse refusal) {
        AccessRequest seen = visible(admin, id);
        requireProviderSide(admin, seen);
        Instant now = Instant.now();
        RegistryData after = store.change(admin.clientId(), "access-request.refused", id, seen.providerAgency(), data ->
                data.withAccessRequests(replaced(data.accessRequests(),
                        pendingIn(data, id).refused(admin.clientId(), now, refusal.reason()))));
        return decided(after, id);
    }

    AccessRequest withdraw(Administrator admin, String id) {
        AccessRequest request = visible(admin, id);
        if (!admin.mayManage(request.consumerAgency())) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only administrators of " + request.consumerAgency()
                    + ", which asked, withdraw its request");
        }
        Instant now = Instant.now();
        RegistryData after = store.change(admin.clientId(), "access-request.withdrawn", id, request.providerAgency(), data ->
                data.withAccessRequests(replaced(data.accessRequests(), pendingIn(data, id).withdrawn(admin.clientId(), now))));
        return decided(after, id);
    }

    private static boolean sees(Administrator admin, AccessRequest request) {
        return admin.mayManage(request.consumerAgency()) || admin.mayManage(request.providerAgency());
    }

    private static void requireProviderSide(Administrator admin, AccessRequest request) {
        if (!admin.mayManage(request.providerAgency())) {
            throw new ProblemException(ProblemCode.OUT_OF_SCOPE, "Only administrators of " + request.providerAgency()
                    + ", which provides the service, decide on access to it");
        }
    }

    /** The request as the change sees it: decided by someone else meanwhile, it is decided no more. */
    private static AccessRequest pendingIn(RegistryData data, String id) {
        AccessRequest request = data.accessRequest(id).orElseThrow(() -> ProblemException.notFound("access request " + id));
        if (!request.pending()) {
            throw ProblemException.conflict("Access request " + id + " is " + request.state().name().toLowerCase(Locale.ROOT)
                    + ": only a pending request is approved, refused or withdrawn");
        }
        return request;
    }

    private AccessRequest decided(RegistryData after, String id) {
        AccessRequest decided = after.accessRequest(id).orElseThrow();
        meters.decided(decided);
        return decided;
    }

    private static List<String> distinct(@Nullable List<String> values) {
        return values == null ? List.of() : values.stream().distinct().toList();
    }

    private static <T> List<T> appended(List<T> list, T item) {
        var copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    private static List<AccessRequest> replaced(List<AccessRequest> requests, AccessRequest next) {
        return requests.stream().map(request -> request.id().equals(next.id()) ? next : request).toList();
    }
}
