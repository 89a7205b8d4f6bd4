def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "ICIC" in response.get_data(as_text=True) or "МЦПК" in response.get_data(as_text=True)
