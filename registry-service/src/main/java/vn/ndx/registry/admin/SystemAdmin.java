package vn.ndx.registry.admin;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.ProblemException;
import vn.ndx.contract.RegistrySnapshot.InformationSystem;
import vn.ndx.registry.store.RegistryStore;

/** An agency's information systems. */
@RestController
@RequestMapping("/admin/agencies")
class SystemAdmin {

    static final String CODE = ServiceAdmin.CODE;

    private final RegistryStore store;
    private final AdminAuthentication admins;
    private final JsonMapper json;

    SystemAdmin(RegistryStore store, AdminAuthentication admins, JsonMapper json) {
        this.store = store;
        this.admins = admins;
        this.json = json;
    }

    record NewSystem(@NotBlank @Pattern(regexp = CODE, message = "lower-case letters, digits and dashes") String code,
                     @NotBlank @Size(max = 200) String name) {
    }

    record SystemChange(@NotBlank @Size(max = 200) String name) {
    }

    @GetMapping("/{code}/systems")
    List<InformationSystem> systems(@PathVariable String code, HttpServletRequest request) {
        admins.of(request).requireScope(code);
        Existing.agency(store.current(), code);
        return store.current().systems().stream().filter(s -> s.agencyCode().equals(code)).toList();
    }

    @PostMapping("/{code}/systems")
    ResponseEntity<InformationSystem> createSystem(@PathVariable String code, @Valid @RequestBody NewSystem body,
                                                   HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        var system = new InformationSystem(code, body.code(), body.name());
        store.change(admin.clientId(), "system.created", code + "/" + body.code(), code, data -> {
            Existing.agency(data, code);
            if (data.system(code, body.code()).isPresent()) {
                throw ProblemException.conflict("System " + code + "/" + body.code() + " exists");
            }
            return Existing.with(data, data.agencies(), Existing.append(data.systems(), system), data.services());
        });
        return ResponseEntity.created(URI.create("/admin/agencies/" + code + "/systems/" + body.code())).body(system);
    }

    @GetMapping("/{code}/systems/{system}")
    ResponseEntity<InformationSystem> system(@PathVariable String code, @PathVariable String system, HttpServletRequest request) {
        admins.of(request).requireScope(code);
        InformationSystem found = Existing.system(store.current(), code, system);
        return ResponseEntity.ok().eTag(ETags.of(json, found)).body(found);
    }

    @PutMapping("/{code}/systems/{system}")
    ResponseEntity<InformationSystem> updateSystem(@PathVariable String code, @PathVariable String system,
                                                   @Valid @RequestBody SystemChange body,
                                                   @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
                                                   HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requireScope(code);
        var changed = new InformationSystem(code, system, body.name());
        store.change(admin.clientId(), "system.updated", code + "/" + system, code, data -> {
            ETags.requireMatch(json, Existing.system(data, code, system), ifMatch);
            return data.withSystems(data.systems().stream()
                    .map(s -> s.agencyCode().equals(code) && s.code().equals(system) ? changed : s).toList());
        });
        return ResponseEntity.ok().eTag(ETags.of(json, changed)).body(changed);
    }
}
