import NIOCore

extension AdminClient {
    /// `GET /api/phone-models`: every stored model, by name.
    public func phoneModels() async throws -> [AdminAPI.PhoneModel] {
        try await get("/api/phone-models")
    }

    /// `PUT /api/phone-models/{model}`: sets the model's load and trust-list digest (nil clears them).
    @discardableResult
    public func setPhoneModel(
        _ model: String,
        _ settings: AdminAPI.PhoneModelSettings
    ) async throws -> AdminAPI.PhoneModel {
        try await send(.put, "/api/phone-models/" + Self.segment(model), json: settings)
    }

    /// `DELETE /api/phone-models/{model}`.
    public func deletePhoneModel(_ model: String) async throws {
        try await delete("/api/phone-models/" + Self.segment(model))
    }
}
