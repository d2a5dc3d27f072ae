package vn.ndx.registry.admin;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import vn.ndx.registry.store.KeyRotation;

/** Signing key rotation, for platform administrators. */
@RestController
class KeyAdmin {

    private final AdminAuthentication admins;
    private final KeyRotation rotation;

    KeyAdmin(AdminAuthentication admins, KeyRotation rotation) {
        this.admins = admins;
        this.rotation = rotation;
    }

    @PostMapping("/admin/keys/rotate")
    Map<String, String> rotate(HttpServletRequest request) {
        Administrator admin = admins.of(request);
        admin.requirePlatform();
        return Map.of("activeKeyId", rotation.rotate(admin.clientId()));
    }
}
